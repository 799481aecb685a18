package dev.dimutex.spi;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A skew-proof lower bound of the store's current time, learned from server timestamps ({@code
 * updated}) of objects this process wrote or read, carried forward on the local monotonic clock.
 *
 * <p>A timestamp {@code u} received at monotonic time {@code r} proves that the store's clock was
 * at least {@code u} at {@code r}, so at monotonic time {@code t} it is at least {@code u + (t -
 * r)}. Only the store's own timestamps and local elapsed time are used; the local wall clock never
 * is, so a process whose clock is wrong by hours computes the same bound.
 */
final class ServerClock {

  private static final long UNKNOWN = Long.MIN_VALUE;

  /** max over observations of (server epoch nanos - local monotonic nanos at receipt). */
  private final AtomicLong offset = new AtomicLong(UNKNOWN);

  void observe(Instant serverTime, long receivedAtNanos) {
    long candidate = epochNanos(serverTime) - receivedAtNanos;
    offset.accumulateAndGet(candidate, Math::max);
  }

  /** Returns a lower bound of the store's time in epoch nanos, or Long.MIN_VALUE if unknown. */
  long lowerBoundEpochNanos(long nowNanos) {
    long o = offset.get();
    return o == UNKNOWN ? UNKNOWN : o + nowNanos;
  }

  static long epochNanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
