package dev.dimutex.spi;

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

  synchronized void observe(Instant serverTime, long receivedAtNanos) {
    long candidate = epochNanos(serverTime) - receivedAtNanos;
    if (offset == UNKNOWN
        || candidate >= offset
        || receivedAtNanos - anchoredAt > HORIZON_NANOS / 2) {
      offset = candidate;
      anchoredAt = receivedAtNanos;
    }
  }

  /** Returns a lower bound of the store's time in epoch nanos, or Long.MIN_VALUE if unknown. */
  synchronized long lowerBoundEpochNanos(long nowNanos) {
    if (offset == UNKNOWN || nowNanos - anchoredAt > HORIZON_NANOS) {
      return UNKNOWN;
    }
    return offset + nowNanos;
  }

  static long epochNanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
