package dev.dimutex.spring;

import java.time.Duration;

/**
 * Observes {@link DistributedLock} calls, for metrics. Methods receive the annotation's name
 * template (never a resolved per-argument name, so that metrics keep a bounded set of tags), are
 * called on the calling thread and must return quickly; exceptions they throw are logged and
 * ignored. Every method has an empty default.
 */
public interface DistributedLockObserver {

  /** Stops measuring a hold when the lock is released. */
  @FunctionalInterface
  interface HoldTimer {

    /** Stops the measurement. */
    void stop();
  }

  /**
   * The call starts to acquire its lock, on the calling thread. One of {@link #acquired}, {@link
   * #timedOut}, {@link #skipped} or {@link #unavailable} follows on the same thread, unless
   * acquiring throws. Reported for blocking and {@code CompletionStage} methods only: a {@code
   * Mono} or {@code Flux} method acquires without blocking, and its outcome arrives on another
   * thread (its other events are reported as for any method).
   *
   * @param nameTemplate the annotation's name template
   */
  default void acquiring(String nameTemplate) {}

  /**
   * The lock was acquired.
   *
   * @param nameTemplate the annotation's name template
   * @param waited how long acquiring took
   */
  default void acquired(String nameTemplate, Duration waited) {}

  /**
   * The lock stayed held and the call failed with {@link dev.dimutex.LockTimeoutException}.
   *
   * @param nameTemplate the annotation's name template
   * @param waited how long the call waited
   */
  default void timedOut(String nameTemplate, Duration waited) {}

  /**
   * The lock stayed held and the call was skipped.
   *
   * @param nameTemplate the annotation's name template
   * @param waited how long the call waited
   */
  default void skipped(String nameTemplate, Duration waited) {}

  /**
   * The lock store could not be reached (an outage, not contention), and the call failed with
   * {@link dev.dimutex.StoreUnavailableException} or was skipped.
   *
   * @param nameTemplate the annotation's name template
   * @param waited how long the call waited
   */
  default void unavailable(String nameTemplate, Duration waited) {}

  /**
   * A hold starts; the returned timer is stopped when the lock is released.
   *
   * @param nameTemplate the annotation's name template
   * @return the timer to stop on release
   */
  default HoldTimer holdStarted(String nameTemplate) {
    return () -> {};
  }
}
