package dev.dimutex.engine;

import java.time.Instant;

/**
 * A skew-proof lower bound of the store's current time, learned from server timestamps ({@code
 * updated}) of objects this process wrote or read, carried forward on the local monotonic clock.
 *
 * <p>A timestamp {@code u} received at monotonic time {@code r} proves that the store's clock was
 * at least {@code u} at {@code r}. The local clock may run up to {@link #MAX_RATE_ERROR} faster
 * than the store's (the one rate assumption of SEMANTICS.md), so at monotonic time {@code t} the
 * store's clock is at least {@code u + (t - r) / 1.1}: the bound is carried forward pessimistically
 * and never runs ahead of the store, however long the anchor is kept. Only the store's own
 * timestamps and local elapsed time are used; the local wall clock never is, so a process whose
 * clock is wrong by hours computes the same bound.
 *
 * <p>Invariant: the anchor is the observation that gives the highest bound (all bounds grow at the
 * same rate, so the best anchor stays the best until a stronger observation arrives).
 */
final class ServerClock {

  /** The largest rate difference between any two clocks involved, as a fraction: 10 %. */
  static final double MAX_RATE_ERROR = 0.10;

  private static final long UNKNOWN = Long.MIN_VALUE;

  private long anchorServerNanos = UNKNOWN;
  private long anchorLocalNanos;

  synchronized void observe(Instant serverTime, long receivedAtNanos) {
    long u = epochNanos(serverTime);
    if (anchorServerNanos == UNKNOWN || u >= boundAt(receivedAtNanos)) {
      anchorServerNanos = u;
      anchorLocalNanos = receivedAtNanos;
    }
  }

  /** Returns a lower bound of the store's time in epoch nanos, or Long.MIN_VALUE if unknown. */
  synchronized long lowerBoundEpochNanos(long nowNanos) {
    return anchorServerNanos == UNKNOWN ? UNKNOWN : boundAt(nowNanos);
  }

  private long boundAt(long nowNanos) {
    long elapsed = nowNanos - anchorLocalNanos;
    // Forward, the local clock may have run fast: count less. Backward (an observation that
    // arrives out of order), it may have run slow: count more.
    double factor = elapsed >= 0 ? 1.0 / (1.0 + MAX_RATE_ERROR) : 1.0 + MAX_RATE_ERROR;
    return anchorServerNanos + (long) (elapsed * factor);
  }

  static long epochNanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
