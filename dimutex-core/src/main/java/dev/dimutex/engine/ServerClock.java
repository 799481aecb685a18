package dev.dimutex.engine;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A skew-proof lower bound of the store's current time, learned from server timestamps ({@code
 * updated}) of objects this process wrote or read, carried forward on the local monotonic clock.
 *
 * <p>A timestamp {@code u} received at monotonic time {@code r} proves that the store's clock was
 * at least {@code u} at {@code r}, so at monotonic time {@code t} it is at least {@code u + (t -
 * r)}. Only the store's own timestamps and local elapsed time are used; the local wall clock never
 * is, so a process whose clock is wrong by hours computes the same bound.
 *
 * <p>Carrying a timestamp forward assumes the monotonic clock runs at the store clock's rate. To
 * keep a rate error from accumulating, an anchor is used for at most {@link #HORIZON_NANOS} (10
 * minutes: even a 100 ppm error then adds up to 60 ms, far inside the lease safety margin) and is
 * replaced by a fresher one after half of that.
 */
final class ServerClock {

  static final long HORIZON_NANOS = TimeUnit.MINUTES.toNanos(10);
  private static final long UNKNOWN = Long.MIN_VALUE;

  /** server epoch nanos minus local monotonic nanos at receipt, of the chosen anchor. */
  private long offset = UNKNOWN;

  private long anchoredAt;

  /**
   * The anchor that a fresher but weaker one replaced, kept until it expires: it still proves more.
   * Without it, reading the same old object every few seconds (periodic {@code tryAcquire()} on a
   * dead lock) reset the bound after half the horizon, so a TTL of 5 minutes or more could never be
   * proven over.
   */
  private long previousOffset = UNKNOWN;

  private long previousAnchoredAt;

  synchronized void observe(Instant serverTime, long receivedAtNanos) {
    long candidate = epochNanos(serverTime) - receivedAtNanos;
    if (offset == UNKNOWN || candidate >= offset) {
      offset = candidate;
      anchoredAt = receivedAtNanos;
    } else if (receivedAtNanos - anchoredAt > HORIZON_NANOS / 2) {
      previousOffset = offset;
      previousAnchoredAt = anchoredAt;
      offset = candidate;
      anchoredAt = receivedAtNanos;
    }
  }

  /** Returns a lower bound of the store's time in epoch nanos, or Long.MIN_VALUE if unknown. */
  synchronized long lowerBoundEpochNanos(long nowNanos) {
    long bound = UNKNOWN;
    if (offset != UNKNOWN && nowNanos - anchoredAt <= HORIZON_NANOS) {
      bound = offset + nowNanos;
    }
    if (previousOffset != UNKNOWN && nowNanos - previousAnchoredAt <= HORIZON_NANOS) {
      bound = Math.max(bound, previousOffset + nowNanos);
    }
    return bound;
  }

  static long epochNanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
