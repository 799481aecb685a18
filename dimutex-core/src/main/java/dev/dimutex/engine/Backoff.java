package dev.dimutex.engine;

import java.time.Duration;

/**
 * Capped exponential backoff with jitter, as pure arithmetic: the random value is passed in, so the
 * numbers can be tested exactly.
 *
 * <p>The delay before retry number {@code attempt} (0-based) is {@code base = min(max, min *
 * multiplier^attempt)}, shortened by up to {@code jitter * base}: {@code delay = base * (1 - jitter
 * * random)} with {@code random} in [0, 1). With the defaults (50 ms, 1 s, 2, 0.5) a waiter polls
 * at most twice a second once the cap is reached, and the jitter keeps waiters of different
 * processes from polling in lock step.
 *
 * @param minNanos the first delay, in nanoseconds
 * @param maxNanos the cap, in nanoseconds
 * @param multiplier growth factor per attempt
 * @param jitter fraction of the delay that is randomised away, in [0, 1)
 */
public record Backoff(long minNanos, long maxNanos, double multiplier, double jitter) {

  /** 50 ms growing by 2 up to 1 s, jitter 0.5. */
  public static final Backoff DEFAULT = of(Duration.ofMillis(50), Duration.ofSeconds(1), 2.0, 0.5);

  /**
   * Validates the components.
   *
   * @param minNanos the first delay, in nanoseconds, positive
   * @param maxNanos the cap, in nanoseconds, at least {@code minNanos}
   * @param multiplier growth factor per attempt, finite and at least 1.0
   * @param jitter fraction of the delay that is randomised away, in [0, 1)
   * @throws IllegalArgumentException naming the component and its allowed range
   */
  public Backoff {
    if (minNanos <= 0) {
      throw new IllegalArgumentException(
          "backoff min must be positive (at least 1 ms is sensible), was "
              + Duration.ofNanos(minNanos));
    }
    if (maxNanos < minNanos) {
      throw new IllegalArgumentException(
          "backoff max must be at least backoff min ("
              + Duration.ofNanos(minNanos)
              + "), was "
              + Duration.ofNanos(maxNanos));
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException(
          "backoff multiplier must be a finite number >= 1.0, was " + multiplier);
    }
    if (!(jitter >= 0.0 && jitter < 1.0)) {
      throw new IllegalArgumentException("backoff jitter must be in [0.0, 1.0), was " + jitter);
    }
  }

  /**
   * Creates a backoff from durations.
   *
   * @param min the first delay, positive, at most 1 day
   * @param max the cap, at least {@code min}, at most 1 day
   * @param multiplier growth per retry, at least 1.0
   * @param jitter the fraction of each delay that is randomised away, in [0.0, 1.0)
   * @return the backoff
   * @throws IllegalArgumentException naming the parameter and its range
   */
  public static Backoff of(Duration min, Duration max, double multiplier, double jitter) {
    return new Backoff(
        toNanos(min, "backoff min"), toNanos(max, "backoff max"), multiplier, jitter);
  }

  private static long toNanos(Duration d, String what) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + d);
    }
    if (d.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(what + " must be at most 1 day, was " + d);
    }
    return d.toNanos();
  }

  /**
   * Returns the delay before a retry.
   *
   * @param attempt how many retries came before this one (0 for the first)
   * @param random a uniformly distributed value in [0, 1)
   * @return the delay in nanoseconds, between {@code (1 - jitter) * base} and {@code base}
   */
  public long delayNanos(int attempt, double random) {
    double base = minNanos;
    for (int i = 0; i < attempt && base < maxNanos && multiplier > 1.0; i++) {
      base *= multiplier;
    }
    base = Math.min(base, (double) maxNanos);
    long delay = Math.round(base * (1.0 - jitter * random));
    return Math.max(1, delay);
  }
}
