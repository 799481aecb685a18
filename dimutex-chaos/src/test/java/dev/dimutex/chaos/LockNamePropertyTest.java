package dev.dimutex.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import dev.dimutex.InvalidLockNameException;
import dev.dimutex.Lease;
import dev.dimutex.LockRegistry;
import dev.dimutex.Mutex;
import dev.dimutex.emulator.GcsEmulator;
import dev.dimutex.emulator.junit.GcsEmulatorExtension;
import dev.dimutex.gcs.GcsLockRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Property-based tests of lock names, with a seeded generator (so failures reproduce): random
 * Unicode, lengths at and over GCS's 1024-byte limit including the prefix, control characters,
 * unpaired surrogates and the reserved names. Every name either round-trips through acquire and
 * release on the emulator, or is refused by {@code obtain} with an {@link InvalidLockNameException}
 * whose message names the lock rule that failed. Names that GCS itself refuses must be refused.
 */
@ExtendWith(GcsEmulatorExtension.class)
class LockNamePropertyTest {

  private static final long SEED = 20261126L;
  private static final int RANDOM_CASES = 200;
  private static final String PREFIX = "locks/";

  private static @Nullable Storage storage;
  private static @Nullable LockRegistry registry;

  @BeforeAll
  static void startRegistry(GcsEmulator emulator, Storage client) {
    storage = client;
    registry =
        GcsLockRegistry.builder(client, GcsEmulatorExtension.DEFAULT_BUCKET)
            .prefix(PREFIX)
            .ttl(Duration.ofSeconds(30))
            .build();
  }

  @AfterAll
  static void closeRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  /** Why GCS itself refuses an object name, or null if it accepts it. */
  static @Nullable String gcsRefuses(String objectName) {
    int bytes = objectName.getBytes(StandardCharsets.UTF_8).length;
    for (int i = 0; i < objectName.length(); i++) {
      char c = objectName.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < objectName.length()
          && Character.isLowSurrogate(objectName.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "unpaired surrogate";
      }
    }
    if (objectName.isEmpty()) {
      return "empty";
    }
    if (bytes > 1024) {
      return "longer than 1024 bytes";
    }
    if (objectName.indexOf('\r') >= 0 || objectName.indexOf('\n') >= 0) {
      return "carriage return or line feed";
    }
    if (objectName.equals(".") || objectName.equals("..")) {
      return ". or ..";
    }
    if (objectName.startsWith(".well-known/acme-challenge/")) {
      return "reserved prefix";
    }
    return null;
  }

  @TestFactory
  Stream<DynamicTest> randomUnicodeNames() {
    SplittableRandom random = new SplittableRandom(SEED);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < RANDOM_CASES; i++) {
      names.add(randomName(random, 1 + random.nextInt(40), random.nextInt(4) == 0));
    }
    return cases(names);
  }

  @TestFactory
  Stream<DynamicTest> namesAtAndOverTheByteLimitWithThePrefix() {
    SplittableRandom random = new SplittableRandom(SEED + 1);
    List<String> names = new ArrayList<>();
    int budget = 1024 - PREFIX.length();
    for (int delta = -4; delta <= 4; delta++) {
      for (int width = 1; width <= 4; width++) {
        names.add(nameOfBytes(random, budget + delta, width));
      }
    }
    names.add("a".repeat(budget));
    names.add("a".repeat(budget + 1));
    names.add("é".repeat(budget / 2) + (budget % 2 == 1 ? "a" : ""));
    names.add("😀".repeat(budget / 4 + 1));
    return cases(names);
  }

  @TestFactory
  Stream<DynamicTest> controlCharactersAndSpecialNames() {
    List<String> names = new ArrayList<>();
    for (int c = 0; c < 0x20; c++) {
      names.add("job" + (char) c + "name");
    }
    names.add("job\u007fname");
    names.add("job\u0085name");
    names.add("job\u009fname");
    names.add("\r");
    names.add("\n");
    names.add("line\r\nbreak");
    names.add("");
    names.add(".");
    names.add("..");
    names.add("./x");
    names.add("a/../b");
    names.add(".well-known/acme-challenge/x");
    names.add("bad\ud800surrogate");
    names.add("\udc00");
    names.add("with space");
    names.add("slash/inside/name");
    names.add("percent%2Fencoded+plus&amp?query=1#hash");
    names.add("中文名字");
    names.add("emoji😀lock");
    names.add("\u200bzero-width");
    names.add("\ufeffbom");
    return cases(names);
  }

  private Stream<DynamicTest> cases(List<String> names) {
    return names.stream()
        .map(name -> DynamicTest.dynamicTest(printable(name), () -> roundTripsOrIsRefused(name)));
  }

  private void roundTripsOrIsRefused(String name) {
    LockRegistry reg = registryOrFail();
    String reason = expectedRefusal(PREFIX + name);
    Mutex mutex;
    try {
      mutex = reg.obtain(name);
    } catch (InvalidLockNameException e) {
      assertThat(reason)
          .as("obtain(%s) refused a name GCS accepts: %s", printable(name), e.getMessage())
          .isNotNull();
      assertThat(e.getMessage())
          .as("refusal of %s (%s)", printable(name), reason)
          .satisfies(LockNamePropertyTest::isTheDocumentedMessage);
      return;
    }
    assertThat(reason)
        .as("obtain(%s) accepted a name that must be refused", printable(name))
        .isNull();
    Optional<Lease> lease = mutex.tryAcquire();
    assertThat(lease).as("acquire %s", printable(name)).isPresent();
    BlobId object = BlobId.of(GcsEmulatorExtension.DEFAULT_BUCKET, PREFIX + name);
    assertThat(storageOrFail().get(object)).as("lock object of %s", printable(name)).isNotNull();
    Throwable released = catchThrowable(() -> lease.get().release());
    assertThat(released).as("release %s", printable(name)).isNull();
    assertThat(storageOrFail().get(object))
        .as("lock object of %s after release", printable(name))
        .isNull();
  }

  /**
   * Why the name must be refused: GCS's own rules, plus the empty lock name and control characters,
   * which dimutex refuses although GCS only discourages them (they make lock objects hard to
   * inspect and delete by hand).
   */
  static @Nullable String expectedRefusal(String objectName) {
    if (objectName.equals(PREFIX)) {
      return "empty lock name"; // the object name would be the prefix alone
    }
    String gcs = gcsRefuses(objectName);
    if (gcs != null) {
      return gcs;
    }
    for (int i = 0; i < objectName.length(); i++) {
      if (Character.isISOControl(objectName.charAt(i))) {
        return "control character";
      }
    }
    return null;
  }

  /**
   * The documented refusal: {@code invalid lock name '<name>' (object '<object>'): <rule and what
   * is allowed>}, or the message for the empty name.
   */
  static void isTheDocumentedMessage(String message) {
    if (message.startsWith("lock name must not be empty")) {
      return;
    }
    assertThat(message).startsWith("invalid lock name '").contains("(object '").contains("): ");
    assertThat(message.toLowerCase(java.util.Locale.ROOT))
        .containsAnyOf(
            "bytes of utf-8",
            "control characters",
            "valid utf-8",
            "reserved",
            "'.' and '..'",
            "carriage return");
  }

  private static LockRegistry registryOrFail() {
    if (registry == null) {
      throw new IllegalStateException("registry not started");
    }
    return registry;
  }

  private static Storage storageOrFail() {
    if (storage == null) {
      throw new IllegalStateException("storage not started");
    }
    return storage;
  }

  private static String randomName(SplittableRandom random, int codePoints, boolean withControl) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < codePoints; i++) {
      int kind = random.nextInt(10);
      int cp;
      if (kind < 3) {
        cp = 0x21 + random.nextInt(0x7f - 0x21); // printable ASCII
      } else if (kind < 5) {
        cp = 0xa0 + random.nextInt(0x800 - 0xa0); // two-byte UTF-8
      } else if (kind < 7) {
        do {
          cp = 0x800 + random.nextInt(0x10000 - 0x800); // three-byte, no surrogates
        } while (cp >= 0xd800 && cp <= 0xdfff);
      } else if (kind < 9) {
        cp = 0x10000 + random.nextInt(0x110000 - 0x10000); // four-byte
      } else {
        cp = withControl ? random.nextInt(0x20) : 0x20; // control character or space
      }
      b.appendCodePoint(cp);
    }
    return b.toString();
  }

  /** A name of exactly {@code bytes} UTF-8 bytes, made of characters of the given width. */
  private static String nameOfBytes(SplittableRandom random, int bytes, int width) {
    StringBuilder b = new StringBuilder();
    int left = bytes;
    while (left > 0) {
      int w = Math.min(width, left);
      switch (w) {
        case 1 -> b.append((char) ('a' + random.nextInt(26)));
        case 2 -> b.append((char) (0x100 + random.nextInt(0x600)));
        case 3 -> b.append((char) (0x4e00 + random.nextInt(0x5000)));
        default -> b.appendCodePoint(0x1f300 + random.nextInt(0x300));
      }
      left -= w;
    }
    return b.toString();
  }

  /** The name with control characters and surrogates escaped, for test names and messages. */
  static String printable(String name) {
    StringBuilder b = new StringBuilder("\"");
    String shown = name.length() > 60 ? name.substring(0, 60) : name;
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      if (Character.isISOControl(c) || Character.isSurrogate(c) && !isPaired(shown, i)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    b.append('"');
    if (name.length() > 60) {
      b.append("… (").append(name.getBytes(StandardCharsets.UTF_8).length).append(" bytes)");
    }
    return b.toString();
  }

  private static boolean isPaired(String s, int i) {
    char c = s.charAt(i);
    return Character.isHighSurrogate(c)
        ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
        : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
