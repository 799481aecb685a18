package dev.dimutex.claims;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The claims of the documents matched with the tests that name them and the benchmark's keys: what
 * does not match, and the table that {@code CLAIMS.md} holds.
 */
public final class Ledger {

  /** The documents whose claims the ledger holds, relative to the repository root, in order. */
  public static final List<String> DOCUMENTS =
      List.of(
          "README.md",
          "dimutex-core/SEMANTICS.md",
          "dimutex-spring-boot-starter/STARTER.md",
          "dimutex-gcs-emulator/EMULATOR.md");

  /** The command that rewrites {@code CLAIMS.md}; the check's message names it. */
  public static final String WRITE_COMMAND =
      "./mvnw -B -o -pl dimutex-claims verify -Dclaims.write=true";

  private final List<DocumentClaim> claims;
  private final List<TestReference> references;
  private final Set<String> benchmarkKeys;

  /**
   * Creates a ledger from what was read.
   *
   * @param claims every claim marker of the documents, in document order, repeats included
   * @param references every test's claim annotation
   * @param benchmarkKeys the keys the benchmark reports
   */
  public Ledger(
      List<DocumentClaim> claims, List<TestReference> references, Set<String> benchmarkKeys) {
    this.claims = List.copyOf(claims);
    this.references = List.copyOf(references);
    this.benchmarkKeys = Set.copyOf(benchmarkKeys);
  }

  /**
   * Everything that breaks the ledger's rules: a claim with neither a test nor a benchmark key, a
   * benchmark key the benchmark does not report, a test that names an id no document defines, and
   * an id that the documents define more than once.
   *
   * @return one sentence per problem; empty when the ledger holds
   */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    Map<String, DocumentClaim> byId = new LinkedHashMap<>();
    for (DocumentClaim claim : claims) {
      DocumentClaim first = byId.putIfAbsent(claim.id(), claim);
      if (first != null) {
        problems.add(
            String.format(
                "%s is used twice for different claims: %s (\"%s\") and %s (\"%s\"); give one of"
                    + " them a new id",
                claim.id(),
                first.document(),
                first.statement(),
                claim.document(),
                claim.statement()));
      }
    }
    Map<String, Set<String>> tests = testsById();
    for (DocumentClaim claim : byId.values()) {
      String key = claim.benchmarkKey();
      if (key != null && !benchmarkKeys.contains(key)) {
        problems.add(
            String.format(
                "%s (%s) points at benchmark key %s, which dimutex-benchmarks does not report"
                    + " (its keys: %s)",
                claim.id(), claim.document(), key, new TreeSet<>(benchmarkKeys)));
      }
      if (key == null && !tests.containsKey(claim.id())) {
        problems.add(
            String.format(
                "%s (%s: \"%s\") has no test: mark the test that backs it with @Claim(\"%s\")",
                claim.id(), claim.document(), claim.statement(), claim.id()));
      }
    }
    for (TestReference reference : references) {
      if (!byId.containsKey(reference.id())) {
        problems.add(
            String.format(
                "%s names claim %s, which no document defines", reference.test(), reference.id()));
      }
    }
    return problems;
  }

  /**
   * The content of {@code CLAIMS.md}: one row per claim (first definition of each id), in the order
   * of {@link #DOCUMENTS}, with the tests or the benchmark key that back it.
   *
   * @return the Markdown text, ending with a newline
   */
  public String table() {
    Map<String, Set<String>> tests = testsById();
    Map<String, DocumentClaim> byId = new LinkedHashMap<>();
    Map<String, Integer> perDocument = new LinkedHashMap<>();
    for (DocumentClaim claim : claims) {
      if (byId.putIfAbsent(claim.id(), claim) == null) {
        perDocument.merge(claim.document(), 1, Integer::sum);
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("# Claims ledger\n\n")
        .append("Every checkable claim in the documents carries an id such as `[C-REL-3]`, and the")
        .append(" tests that back it\ncarry `@Claim(\"C-REL-3\")` (the emulator's tests: a JUnit")
        .append(" `@Tag` of the same id); a claim about a\nmeasured figure names the benchmark key")
        .append(" instead (`[C-PERF-1: bench scale_held_locks]`). The `dimutex-claims`\nmodule's")
        .append(
            " test fails `verify` when a claim has no test, a test names an unknown id, an id is")
        .append(" used\ntwice, or this file differs from what the sources give. This file is")
        .append(" generated:\n`")
        .append(WRITE_COMMAND)
        .append("` rewrites it.\n\n");
    out.append(byId.size()).append(" claims:");
    String separator = " ";
    for (Map.Entry<String, Integer> e : perDocument.entrySet()) {
      out.append(separator).append(e.getKey()).append(' ').append(e.getValue());
      separator = ", ";
    }
    out.append(".\n\n| claim | document | statement | backed by |\n| --- | --- | --- | --- |\n");
    for (DocumentClaim claim : byId.values()) {
      List<String> backing = new ArrayList<>();
      if (claim.benchmarkKey() != null) {
        backing.add("benchmark key `" + claim.benchmarkKey() + "`");
      }
      for (String test : tests.getOrDefault(claim.id(), Set.of())) {
        backing.add("`" + test + "`");
      }
      out.append("| ")
          .append(claim.id())
          .append(" | ")
          .append(claim.document())
          .append(" | ")
          .append(claim.statement())
          .append(" | ")
          .append(backing.isEmpty() ? "**none**" : String.join("<br>", backing))
          .append(" |\n");
    }
    return out.toString();
  }

  private Map<String, Set<String>> testsById() {
    Map<String, Set<String>> tests = new LinkedHashMap<>();
    for (TestReference reference : references) {
      tests.computeIfAbsent(reference.id(), id -> new TreeSet<>()).add(reference.test());
    }
    return tests;
  }
}
