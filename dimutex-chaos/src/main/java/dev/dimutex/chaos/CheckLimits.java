package dev.dimutex.chaos;

import java.time.Duration;

/**
 * The bounds the checker enforces.
 *
 * @param ttlNanos the lease TTL every worker uses
 * @param recoveryBoundNanos how soon after a crash or freeze of the holder another worker must hold
 *     the lock
 * @param maxRequestsPerSecond the spin budget: average requests per second per worker
 * @param rateWindowNanos the window for the burst budget
 * @param maxRequestsPerWindow the burst budget: requests per worker in any window
 */
public record CheckLimits(
    long ttlNanos,
    long recoveryBoundNanos,
    double maxRequestsPerSecond,
    long rateWindowNanos,
    long maxRequestsPerWindow) {

  /**
   * Derives the limits from the lock settings, as the README states them: recovery within TTL +
   * backoff cap + 2 s (one acquire round trip with client retries under injected faults); at most
   * 10 requests per second per worker on average, and 70 in any 2-second window. The burst budget
   * is the most the worker loop can legitimately send: 4 requests per section (acquire, read,
   * write, release) with sections at least 120 ms apart (100 ms hold, 20 ms pause) is about 33
   * requests/s, plus 2 refreshes/s; a worker retrying without backoff sends hundreds.
   *
   * @param ttl the lease TTL
   * @param backoffMax the waiters' backoff cap
   * @return the limits
   */
  public static CheckLimits derive(Duration ttl, Duration backoffMax) {
    return new CheckLimits(
        ttl.toNanos(),
        ttl.plus(backoffMax).plusSeconds(2).toNanos(),
        10.0,
        Duration.ofSeconds(2).toNanos(),
        70);
  }
}
