package dev.dimutex.engine;

import dev.dimutex.LockInterruptedException;
import dev.dimutex.spi.StoreException;

/**
 * The one bounded retry of transient store failures for blocking operations (a one-shot
 * acquisition, a manual refresh, a release's delete, a hand-over's read-back). Pauses with the
 * registry's backoff on its injected sleeper; interruptible.
 */
final class Retry {

  /** One store call. */
  @FunctionalInterface
  interface StoreCall<T> {
    T call();
  }

  /** Decides, after the given number of failed tries, whether to try again. */
  @FunctionalInterface
  interface Again {
    boolean test(int failedTries, StoreException last);
  }

  private final Engine engine;

  Retry(Engine engine) {
    this.engine = engine;
  }

  /**
   * Calls until the call succeeds; after a transient failure, pauses with backoff and calls again
   * while {@code again} allows.
   *
   * @throws StoreException the last failure: any non-transient one at once, a transient one when
   *     {@code again} refuses
   * @throws LockInterruptedException if interrupted while pausing
   */
  <T> T call(String name, StoreCall<T> call, Again again) {
    int failed = 0;
    while (true) {
      try {
        return call.call();
      } catch (StoreException ex) {
        if (ex.kind() != StoreException.Kind.TRANSIENT || !again.test(++failed, ex)) {
          throw ex;
        }
        pause(engine.backoff.delayNanos(failed - 1, engine.random.getAsDouble()), name);
      }
    }
  }

  void pause(long nanos, String name) {
    try {
      engine.sleeper.sleep(nanos);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw Messages.interruptedWhileRetrying(name, ie);
    }
  }
}
