package dev.dimutex.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import dev.dimutex.InvalidLockNameException;
import dev.dimutex.testing.Claim;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every validation rule of the builder and of lock names, with its message. No remote calls. */
class ValidationTest {

  private final Storage storage =
      StorageOptions.http()
          .setHost("http://127.0.0.1:9")
          .setProjectId("p")
          .setCredentials(NoCredentials.getInstance())
          .build()
          .getService();

  private GcsLockRegistry registry;

  private GcsLockRegistry.Builder builder() {
    return GcsLockRegistry.builder(storage, "bucket");
  }

  @AfterEach
  void close() {
    if (registry != null) {
      registry.close();
    }
  }

  @Nested
  class Builder {

    @Test
    @Claim("C-DEF-1")
    @Claim("C-DEF-2")
    @Claim("C-DEF-4")
    @Claim("C-CMP-2")
    void hasTheDocumentedDefaults() {
      registry = builder().build();
      assertThat(registry.bucket()).isEqualTo("bucket");
      assertThat(registry.prefix()).isEqualTo("locks/");
      assertThat(registry.ttl()).isEqualTo(Duration.ofSeconds(60));
      assertThat(registry.refreshInterval()).isEqualTo(Duration.ofSeconds(10));
      assertThat(registry.ownerId()).hasSize(36);
    }

    @Test
    @Claim("C-DEF-4")
    @Claim("C-CMP-2")
    void twoRegistriesGetDifferentOwnerIds() {
      registry = builder().build();
      try (GcsLockRegistry other = builder().build()) {
        assertThat(other.ownerId()).isNotEqualTo(registry.ownerId());
      }
    }

    @Test
    void rejectsABlankBucket() {
      assertThatThrownBy(() -> GcsLockRegistry.builder(storage, " "))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("bucket must not be blank");
    }

    @Test
    @Claim("C-VAL-1")
    @Claim("C-DEF-1")
    void rejectsATtlOutsideOneSecondToOneDay() {
      assertThatThrownBy(() -> builder().ttl(Duration.ofMillis(999)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("ttl must be between PT1S and PT24H, was PT0.999S");
      assertThatThrownBy(() -> builder().ttl(Duration.ofDays(2)))
          .hasMessage("ttl must be between PT1S and PT24H, was PT48H");
    }

    @Test
    @Claim("C-VAL-1")
    @Claim("C-DEF-2")
    void rejectsARefreshIntervalBelowFiftyMilliseconds() {
      assertThatThrownBy(() -> builder().refreshInterval(Duration.ofMillis(49)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("refreshInterval must be at least PT0.05S, was PT0.049S");
    }

    @Test
    @Claim("C-VAL-1")
    @Claim("C-DEF-2")
    void rejectsARefreshIntervalNotShorterThanHalfTheTtl() {
      assertThatThrownBy(
              () ->
                  builder()
                      .ttl(Duration.ofSeconds(10))
                      .refreshInterval(Duration.ofSeconds(5))
                      .build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("refreshInterval must be shorter than half the ttl (PT5S), was PT5S");
    }

    @Test
    @Claim("C-VAL-1")
    void rejectsBadBackoffNamingTheParameter() {
      assertThatThrownBy(
              () -> builder().backoff(Duration.ofMillis(-1), Duration.ofSeconds(1), 2, 0.5))
          .hasMessageContaining("backoff min must be positive");
      assertThatThrownBy(
              () -> builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0.5))
          .hasMessageContaining("backoff max must be at least backoff min");
      assertThatThrownBy(
              () -> builder().backoff(Duration.ofMillis(1), Duration.ofSeconds(1), 0.9, 0.5))
          .hasMessageContaining("backoff multiplier must be a finite number >= 1.0");
      assertThatThrownBy(
              () -> builder().backoff(Duration.ofMillis(1), Duration.ofSeconds(1), 2, 1.5))
          .hasMessageContaining("backoff jitter must be in [0.0, 1.0)");
    }

    @Test
    void rejectsABlankOrOverlongOwnerId() {
      assertThatThrownBy(() -> builder().ownerId(" "))
          .hasMessageContaining("ownerId must be 1 to 200 non-blank characters");
      assertThatThrownBy(() -> builder().ownerId("x".repeat(201)))
          .hasMessageContaining("ownerId must be 1 to 200 non-blank characters");
    }

    @Test
    void rejectsAPrefixWithControlCharactersOrTooLong() {
      assertThatThrownBy(() -> builder().prefix("locks\n"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("prefix")
          .hasMessageContaining("carriage return or line feed");
      assertThatThrownBy(() -> builder().prefix("p".repeat(1024)))
          .hasMessageContaining("limited to 1024 bytes");
      assertThatThrownBy(() -> builder().prefix(".well-known/acme-challenge/"))
          .hasMessageContaining("reserved");
    }

    @Test
    void acceptsAnEmptyPrefix() {
      registry = builder().prefix("").build();
      assertThat(registry.prefix()).isEmpty();
    }
  }

  @Nested
  class LockNames {

    private void assertRejected(String prefix, String name, String... fragments) {
      registry = builder().prefix(prefix).build();
      var thrown =
          assertThatThrownBy(() -> registry.obtain(name))
              .isInstanceOf(InvalidLockNameException.class);
      for (String f : fragments) {
        thrown.hasMessageContaining(f);
      }
    }

    @Test
    @Claim("C-VAL-2")
    void mustNotBeEmpty() {
      assertRejected("locks/", "", "lock name must not be empty");
    }

    @Test
    void mustFitInto1024BytesOfUtf8IncludingThePrefix() {
      // "é" is two bytes: 6 + 2 * 510 = 1026 bytes
      assertRejected("locks/", "é".repeat(510), "limited to 1024 bytes", "this one is 1026 bytes");
    }

    @Test
    void exactly1024BytesIncludingThePrefixIsAccepted() {
      registry = builder().build();
      assertThatCode(() -> registry.obtain("x".repeat(1024 - 6))).doesNotThrowAnyException();
    }

    @Test
    @Claim("C-VAL-2")
    void mustNotContainCarriageReturnOrLineFeed() {
      assertRejected("locks/", "a\rb", "carriage return or line feed", "index 7");
      assertRejected("locks/", "a\nb", "carriage return or line feed");
    }

    @Test
    @Claim("C-VAL-2")
    void mustNotContainOtherControlCharacters() {
      assertRejected("locks/", "a\u0001b", "control characters", "U+0001");
      assertRejected("locks/", "a\u007fb", "control characters", "U+007F");
    }

    @Test
    @Claim("C-VAL-2")
    @Claim("C-GUA-11")
    void mustBeValidUnicode() {
      assertRejected("locks/", "a\ud800b", "valid UTF-8", "unpaired surrogate");
    }

    @Test
    @Claim("C-VAL-2")
    @Claim("C-GUA-11")
    void mustNotBeDotOrDotDotAsAWholeObjectName() {
      assertRejected("", ".", "'.' and '..' are not allowed");
      assertRejected("", "..", "'.' and '..' are not allowed");
      registry.close();
      registry = builder().build();
      assertThatCode(() -> registry.obtain(".")).doesNotThrowAnyException();
    }

    @Test
    @Claim("C-VAL-2")
    void mustNotStartWithTheAcmeChallengePrefix() {
      assertRejected("", ".well-known/acme-challenge/x", "reserved by GCS");
    }

    @Test
    @Claim("C-VAL-2")
    @Claim("C-GUA-11")
    void messagesNameTheLock() {
      assertRejected("locks/", "bad\nname", "invalid lock name 'bad\\u000aname'");
    }

    @Test
    void acceptsUnicodeSlashesAndSpaces() {
      registry = builder().build();
      assertThatCode(() -> registry.obtain("reports/2026 Q1 – überblick ✓"))
          .doesNotThrowAnyException();
    }
  }
}
