package dev.dimutex.spi;

/**
 * A monotonic time source in nanoseconds, used for every duration the lock algorithm measures
 * (lease health, staleness of another holder, backoff). It never jumps with wall-clock adjustments,
 * so durations are immune to clock skew. Only differences between two readings are meaningful.
 */
@FunctionalInterface
public interface TimeSource {

  /**
   * Returns the current reading in nanoseconds.
   *
   * @return a monotonic reading; differences between readings are elapsed nanoseconds
   */
  long nanoTime();

  /**
   * Returns the system's monotonic time source, {@link System#nanoTime()}.
   *
   * @return the system time source
   */
  static TimeSource system() {
    return System::nanoTime;
  }
}
