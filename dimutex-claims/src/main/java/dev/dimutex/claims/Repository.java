package dev.dimutex.claims;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads a checkout of the repository into a {@link Ledger}. */
public final class Repository {

  /** Where the benchmark's list of keys is. */
  static final String BENCHMARK_KEYS =
      "dimutex-benchmarks/src/main/java/dev/dimutex/benchmarks/Results.java";

  private static final String TEST_SUPPORT_MAIN = "dimutex-test-support/src/main/java/";

  private static final Pattern KEYS_LIST =
      Pattern.compile("KEYS\\s*=\\s*List\\.of\\(([^)]*)\\)", Pattern.DOTALL);

  private static final Pattern STRING = Pattern.compile("\"([A-Za-z0-9_]+)\"");

  private Repository() {}

  /**
   * Reads the documents, every test source ({@code <module>/src/test/java} and the test-support
   * module's main sources; this module's own tests excluded, they hold synthetic inputs) and the
   * benchmark's keys.
   *
   * @param root the repository root
   * @return the ledger
   * @throws UncheckedIOException when a file cannot be read; a missing document is an error too
   */
  public static Ledger read(Path root) {
    List<DocumentClaim> claims = new ArrayList<>();
    for (String document : Ledger.DOCUMENTS) {
      claims.addAll(Documents.scan(document, text(root.resolve(document))));
    }
    List<TestReference> references = new ArrayList<>();
    for (Path file : testSources(root)) {
      String relative = root.relativize(file).toString().replace('\\', '/');
      String module = relative.substring(0, relative.indexOf('/'));
      String className = file.getFileName().toString().replaceFirst("\\.java$", "");
      references.addAll(TestSources.scan(module, className, text(file)));
    }
    return new Ledger(claims, references, benchmarkKeys(text(root.resolve(BENCHMARK_KEYS))));
  }

  /**
   * The keys of the benchmark's {@code KEYS} list.
   *
   * @param resultsSource the text of the benchmark's {@code Results.java}
   * @return the keys; empty when the list is not found
   */
  static Set<String> benchmarkKeys(String resultsSource) {
    Set<String> keys = new LinkedHashSet<>();
    Matcher list = KEYS_LIST.matcher(resultsSource);
    if (list.find()) {
      Matcher key = STRING.matcher(list.group(1));
      while (key.find()) {
        keys.add(key.group(1));
      }
    }
    return keys;
  }

  private static List<Path> testSources(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              f -> {
                String p = root.relativize(f).toString().replace('\\', '/');
                return p.endsWith(".java")
                    && !p.startsWith("dimutex-claims/")
                    && !p.contains("/target/")
                    && !p.startsWith(".")
                    && (p.contains("/src/test/java/") || p.startsWith(TEST_SUPPORT_MAIN));
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the sources under " + root, e);
    }
  }

  private static String text(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
