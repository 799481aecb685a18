package dev.dimutex.spi;

import java.util.concurrent.locks.LockSupport;

/**
 * Pauses the calling thread between retries of a blocking operation (release, manual refresh, a
 * single acquisition attempt). Injected so that tests can replace real waiting.
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Pauses for the given time.
   *
   * @param nanos how long, in nanoseconds
   * @throws InterruptedException if the thread is interrupted while pausing
   */
  void sleep(long nanos) throws InterruptedException;

  /**
   * Returns a sleeper that parks the thread for real, interruptibly.
   *
   * @return the system sleeper
   */
  static Sleeper system() {
    return nanos -> {
      long deadline = System.nanoTime() + nanos;
      for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        LockSupport.parkNanos(left);
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    };
  }
}
