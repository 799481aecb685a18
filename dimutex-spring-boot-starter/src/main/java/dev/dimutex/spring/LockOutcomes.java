package dev.dimutex.spring;

import dev.dimutex.InvalidLockNameException;
import dev.dimutex.LockException;
import dev.dimutex.LockTimeoutException;
import dev.dimutex.StoreUnavailableException;
import dev.dimutex.spring.DistributedLockObserver.Wait;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a locked call reports, and the one place its messages are written: observer notifications
 * (isolated from failures), log lines and exceptions.
 */
final class LockOutcomes {

  private static final Logger log = LoggerFactory.getLogger(LockOutcomes.class);

  private final Supplier<DistributedLockObserver> observer;

  LockOutcomes(Supplier<DistributedLockObserver> observer) {
    this.observer = observer;
  }

  /**
   * The call starts to acquire its lock: the returned wait is ended once, by the outcome method
   * given it, by {@link Wait#failed} when acquiring throws, or by {@link Wait#cancelled}; later
   * endings are ignored, and failures of the observer's wait are logged.
   */
  Wait acquiring(LockMethodSpec spec) {
    try {
      return new OnceWait(observer.get().acquiring(spec.template()));
    } catch (RuntimeException e) {
      log.warn("DistributedLockObserver failed", e);
      return Wait.NONE;
    }
  }

  DistributedLockObserver.HoldTimer acquired(LockMethodSpec spec, Duration waited, Wait wait) {
    DistributedLockObserver obs = observer.get();
    wait.acquired();
    notify(() -> obs.acquired(spec.template(), waited));
    try {
      return obs.holdStarted(spec.template());
    } catch (RuntimeException e) {
      log.warn("DistributedLockObserver failed to start a hold timer", e);
      return () -> {};
    }
  }

  /** The lock stayed held and the call is skipped. */
  void skippedHeld(LockMethodSpec spec, String name, Duration waited, Wait wait) {
    wait.skipped();
    notify(() -> observer.get().skipped(spec.template(), waited));
    log.debug("Skipped {}: lock '{}' is held by another owner", spec.description, name);
  }

  /** The lock stayed held: the exception to throw. */
  LockTimeoutException heldElsewhere(LockMethodSpec spec, String name, Duration waited, Wait wait) {
    wait.timedOut();
    notify(() -> observer.get().timedOut(spec.template(), waited));
    return new LockTimeoutException(
        "Lock '"
            + name
            + "' is held elsewhere; "
            + spec.description
            + " was not run (waited "
            + waited.toMillis()
            + " ms, waitFor "
            + spec.waitFor
            + ")");
  }

  /** The store could not be reached and the call is skipped: a WARN, since it is not contention. */
  void skippedUnavailable(
      LockMethodSpec spec, String name, Duration waited, StoreUnavailableException e, Wait wait) {
    wait.unavailable();
    notify(() -> observer.get().unavailable(spec.template(), waited));
    log.warn(
        "Skipped {}: the lock store is unavailable, so lock '{}' could not be acquired (waited {}"
            + " ms): {}",
        spec.description,
        name,
        waited.toMillis(),
        e.getMessage());
  }

  /** The store could not be reached: the exception to throw, with the last store error as cause. */
  StoreUnavailableException unavailable(
      LockMethodSpec spec, String name, Duration waited, StoreUnavailableException e, Wait wait) {
    wait.unavailable();
    notify(() -> observer.get().unavailable(spec.template(), waited));
    Throwable storeError = e.getCause() != null ? e.getCause() : e;
    StoreUnavailableException failure =
        new StoreUnavailableException(
            "Lock '"
                + name
                + "' could not be acquired because the lock store is unavailable (this is an"
                + " outage, not contention); "
                + spec.description
                + " was not run (waited "
                + waited.toMillis()
                + " ms, waitFor "
                + spec.waitFor
                + "): "
                + e.getMessage(),
            storeError);
    if (storeError != e) {
      failure.addSuppressed(e);
    }
    return failure;
  }

  static LockException templateFailed(LockMethodSpec spec, RuntimeException e) {
    return new LockException(
        "Cannot resolve lock name template '"
            + spec.template()
            + "' for "
            + spec.description
            + ": "
            + e.getMessage(),
        e);
  }

  static InvalidLockNameException invalidName(
      LockMethodSpec spec, String name, InvalidLockNameException e) {
    InvalidLockNameException wrapped =
        new InvalidLockNameException(
            "Lock name '"
                + name
                + "' resolved from template '"
                + spec.template()
                + "' for "
                + spec.description
                + " is invalid: "
                + e.getMessage());
    wrapped.initCause(e);
    return wrapped;
  }

  /** An observer's wait, ended at most once, with its failures logged. */
  private static final class OnceWait implements Wait {

    private final Wait wait;
    private final AtomicBoolean ended = new AtomicBoolean();

    OnceWait(Wait wait) {
      this.wait = wait;
    }

    @Override
    public void acquired() {
      end(wait::acquired);
    }

    @Override
    public void timedOut() {
      end(wait::timedOut);
    }

    @Override
    public void skipped() {
      end(wait::skipped);
    }

    @Override
    public void unavailable() {
      end(wait::unavailable);
    }

    @Override
    public void cancelled() {
      end(wait::cancelled);
    }

    @Override
    public void failed(Throwable error) {
      end(() -> wait.failed(error));
    }

    private void end(Runnable ending) {
      if (ended.compareAndSet(false, true)) {
        LockOutcomes.notify(ending);
      }
    }
  }

  private static void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("DistributedLockObserver failed", e);
    }
  }
}
