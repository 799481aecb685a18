package dev.dimutex.spring;

import java.time.Duration;

/**
 * Observes {@link DistributedLock} calls, for metrics. Methods receive the annotation's name
 * template (never a resolved per-argument name, so that metrics keep a bounded set of tags) and
 * must return quickly; exceptions they throw are logged and ignored. They are called on the calling
 * thread, except the outcome of a {@code Mono} or {@code Flux} method's acquisition, which arrives
 * on the thread that completes it. Every method has an empty default.
 */
public interface DistributedLockObserver {

  /** Stops measuring a hold when the lock is released. */
  @FunctionalInterface
  interface HoldTimer {

    /** Stops the measurement. */
    void stop();
  }

  /**
   * The wait of one acquisition, ended once with its outcome. Ended on whichever thread learns the
   * outcome: the calling thread for blocking and {@code CompletionStage} methods, the thread that
   * completes the acquisition for {@code Mono} and {@code Flux} methods. The starter ends each wait
   * at most once. Every method has an empty default.
   */
  interface Wait {

    /** A wait that observes nothing. */
    Wait NONE = new Wait() {};

    /** The lock was acquired. */
    default void acquired() {}

    /** The lock stayed held and the call failed with {@link dev.dimutex.LockTimeoutException}. */
    default void timedOut() {}

    /** The lock stayed held and the call was skipped. */
    default void skipped() {}

    /** The lock store could not be reached, and the call failed or was skipped. */
    default void unavailable() {}

    /** The subscription of a {@code Mono} or {@code Flux} method was cancelled while waiting. */
    default void cancelled() {}

    /**
     * Acquiring threw an exception other than the outcomes above.
     *
     * @param error what acquiring threw
     */
    default void failed(Throwable error) {}
  }

  /**
   * The call starts to acquire its lock: on the calling thread for blocking and {@code
   * CompletionStage} methods, at subscription for {@code Mono} and {@code Flux} methods. The
   * returned wait is ended with the outcome of this acquisition, whichever it is, as soon as it is
   * known; {@link #acquired}, {@link #timedOut}, {@link #skipped} or {@link #unavailable} is
   * reported as well.
   *
   * @param nameTemplate the annotation's name template
   * @return the wait to end with the outcome; {@link Wait#NONE} by default
   */
  default Wait acquiring(String nameTemplate) {
    return Wait.NONE;
  }

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
