package dev.dimutex.chaos;

/**
 * Requests one worker process sent to the emulator, from the emulator's request log.
 *
 * @param worker the worker process id
 * @param requests how many requests (admin requests excluded)
 * @param lifetimeNanos how long the process lived
 * @param peakPerWindow the most requests in any window of {@link CheckLimits#rateWindowNanos()}
 */
public record WorkerRequests(String worker, long requests, long lifetimeNanos, long peakPerWindow) {

  /**
   * Returns the average rate.
   *
   * @return requests per second over the process's lifetime
   */
  public double perSecond() {
    return lifetimeNanos <= 0 ? 0 : requests / (lifetimeNanos / 1e9);
  }
}
