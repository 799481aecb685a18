package dev.dimutex.sample;

import java.time.Duration;

/** Simulated work: the sample's jobs sleep where a real application would compute or call out. */
final class Work {

  private Work() {}

  /**
   * Sleeps for the given time, keeping the thread's interrupt flag if interrupted.
   *
   * @param duration how long the simulated work takes
   * @throws IllegalStateException if interrupted, so that the lock is released early
   */
  static void simulate(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while working", e);
    }
  }
}
