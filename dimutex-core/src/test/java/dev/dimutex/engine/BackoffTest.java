package dev.dimutex.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final long MS = 1_000_000L;

  @Nested
  class WithDefaults {
    private final Backoff b = Backoff.DEFAULT;

    @Test
    void doublesFromFiftyMillisecondsWithoutJitterWhenTheRandomValueIsZero() {
      assertThat(b.delayNanos(0, 0.0)).isEqualTo(50 * MS);
      assertThat(b.delayNanos(1, 0.0)).isEqualTo(100 * MS);
      assertThat(b.delayNanos(2, 0.0)).isEqualTo(200 * MS);
      assertThat(b.delayNanos(3, 0.0)).isEqualTo(400 * MS);
      assertThat(b.delayNanos(4, 0.0)).isEqualTo(800 * MS);
    }

    @Test
    void isCappedAtOneSecond() {
      assertThat(b.delayNanos(5, 0.0)).isEqualTo(1000 * MS);
      assertThat(b.delayNanos(30, 0.0)).isEqualTo(1000 * MS);
      assertThat(b.delayNanos(Integer.MAX_VALUE, 0.0)).isEqualTo(1000 * MS);
    }

    @Test
    void jitterRemovesUpToHalfOfTheDelay() {
      assertThat(b.delayNanos(0, 0.5)).isEqualTo(37_500_000L);
      assertThat(b.delayNanos(3, 0.25)).isEqualTo(350 * MS);
      assertThat(b.delayNanos(10, 0.999)).isEqualTo(500_500_000L);
    }

    @Test
    void neverPollsMoreThanTwiceASecondOnceCapped() {
      long shortest = b.delayNanos(100, Math.nextDown(1.0));
      assertThat(shortest).isGreaterThanOrEqualTo(500 * MS);
    }
  }

  @Test
  void withoutJitterTheRandomValueDoesNotMatter() {
    Backoff b = Backoff.of(Duration.ofMillis(10), Duration.ofMillis(100), 3.0, 0.0);
    assertThat(b.delayNanos(0, 0.9)).isEqualTo(10 * MS);
    assertThat(b.delayNanos(1, 0.9)).isEqualTo(30 * MS);
    assertThat(b.delayNanos(2, 0.9)).isEqualTo(90 * MS);
    assertThat(b.delayNanos(3, 0.9)).isEqualTo(100 * MS);
  }

  @Test
  void multiplierOneGivesAConstantDelay() {
    Backoff b = Backoff.of(Duration.ofMillis(200), Duration.ofSeconds(1), 1.0, 0.0);
    assertThat(b.delayNanos(0, 0)).isEqualTo(b.delayNanos(20, 0)).isEqualTo(200 * MS);
  }

  @Nested
  class Validation {
    @Test
    void rejectsNonPositiveMinimumNamingIt() {
      assertThatThrownBy(() -> Backoff.of(Duration.ZERO, Duration.ofSeconds(1), 2, 0.5))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("backoff min must be positive");
    }

    @Test
    void rejectsMaximumBelowMinimum() {
      assertThatThrownBy(() -> Backoff.of(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0.5))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("backoff max must be at least backoff min");
    }

    @Test
    void rejectsMultiplierBelowOne() {
      assertThatThrownBy(() -> Backoff.of(Duration.ofMillis(1), Duration.ofSeconds(1), 0.5, 0.5))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("backoff multiplier must be a finite number >= 1.0, was 0.5");
    }

    @Test
    void rejectsJitterOutsideZeroToOne() {
      assertThatThrownBy(() -> Backoff.of(Duration.ofMillis(1), Duration.ofSeconds(1), 2, 1.0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("backoff jitter must be in [0.0, 1.0), was 1.0");
      assertThatThrownBy(() -> Backoff.of(Duration.ofMillis(1), Duration.ofSeconds(1), 2, -0.1))
          .hasMessageContaining("backoff jitter must be in [0.0, 1.0)");
    }

    @Test
    void rejectsDelaysLongerThanADay() {
      assertThatThrownBy(() -> Backoff.of(Duration.ofMillis(1), Duration.ofDays(2), 2, 0.1))
          .hasMessageContaining("backoff max must be at most 1 day");
    }
  }
}
