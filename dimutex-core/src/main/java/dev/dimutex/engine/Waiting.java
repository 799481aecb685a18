package dev.dimutex.engine;

import dev.dimutex.Lease;
import dev.dimutex.LockException;
import dev.dimutex.LockInterruptedException;
import dev.dimutex.LockTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local side of acquiring: joining a name's slot (driving, or queueing behind the driver or the
 * holder), waiting for the future, and the deadline of each wait. A wait that runs out ends with
 * {@link LockTimeoutException} if the lock was seen held, and with {@link
 * dev.dimutex.StoreUnavailableException} if only store failures were seen.
 */
final class Waiting {

  private static final Logger log = LoggerFactory.getLogger(Waiting.class);

  /** Waits longer than this are treated as "forever" (avoids overflow). */
  static final long FOREVER_NANOS = TimeUnit.DAYS.toNanos(365L * 100);

  private final Engine engine;

  Waiting(Engine engine) {
    this.engine = engine;
  }

  /** Blocking acquisition; empty when the lock stayed held by someone else. */
  Optional<Lease> acquire(String name, Duration waitAtMost) {
    try {
      return Optional.of(acquireOrThrow(name, waitAtMost));
    } catch (LockTimeoutException timeout) {
      return Optional.empty();
    }
  }

  /** Blocking acquisition; throws {@link LockTimeoutException} naming the lock on timeout. */
  Lease acquireOrThrow(String name, Duration waitAtMost) {
    engine.checkOpen();
    long waitNanos = clampWait(waitAtMost, name);
    if (waitNanos > 0 && DefaultScheduler.isCurrentThread()) {
      throw Messages.waitOnSchedulerThread(name);
    }
    long start = engine.nanoTime();
    Waiter w = new Waiter(start, start + waitNanos);
    Entered entered = enter(name, w, waitNanos > 0, false);
    Slot s = entered.slot();
    if (entered.join() == Slot.Join.BUSY) {
      throw busyHere(s, w);
    }
    if (entered.join() == Slot.Join.DRIVE) {
      RemoteAttempt.Result r;
      try {
        r = engine.attempts.attempt(s, waitNanos == 0);
      } catch (RuntimeException ex) {
        engine.driver.stopDriving(s);
        if (ex instanceof LockException) {
          throw ex;
        }
        // every failure a caller sees extends LockException
        throw engine.messages.acquireFailedUnexpectedly(name, ex);
      }
      if (r instanceof RemoteAttempt.Acquired a) {
        return engine.driver.keep(s, a, start);
      }
      if (waitNanos == 0) {
        engine.driver.stopDriving(s);
        throw timeoutException(s, w);
      }
      s.requeueDriver(w);
      engine.driver.scheduleDrive(s, engine.driver.nextBackoff(s));
    }
    scheduleTimeout(s, w);
    return awaitSync(s, w);
  }

  /** The slot a waiter joined, and how it joined (never {@link Slot.Join#RETRY}). */
  private record Entered(Slot slot, Slot.Join join) {}

  /** Joins the name's slot, entering again while the slot retires under us. */
  private Entered enter(String name, Waiter w, boolean mayQueue, boolean queueDriver) {
    Slot s;
    Slot.Join join;
    do {
      s = engine.slots.enter(name);
      join = s.join(w, mayQueue, queueDriver);
    } while (join == Slot.Join.RETRY);
    return new Entered(s, join);
  }

  CompletableFuture<Lease> acquireAsync(String name, Duration waitAtMost) {
    engine.checkOpen();
    long waitNanos = clampWait(waitAtMost, name);
    long start = engine.nanoTime();
    Waiter w = new Waiter(start, start + waitNanos);
    // One attempt is what a zero wait asks for: if someone here holds or is already trying,
    // answer at once without a remote call, like tryAcquire().
    Entered entered = enter(name, w, waitNanos > 0, true);
    Slot s = entered.slot();
    Slot.Join join = entered.join();
    if (join == Slot.Join.BUSY) {
      w.future.completeExceptionally(busyHere(s, w));
      return w.future;
    }
    w.future.whenComplete(
        (lease, failure) -> {
          if (failure != null) {
            // cancelled, timed out or failed, by us or from outside: leave nothing behind
            w.cancelTimeout();
            removeWaiter(s, w);
          }
        });
    if (waitNanos > 0) {
      // A zero wait is timed out by the driver right after its one attempt.
      scheduleTimeout(s, w);
    }
    if (join == Slot.Join.DRIVE) {
      engine.driver.scheduleDrive(s, 0);
    }
    return w.future;
  }

  private static long clampWait(Duration waitAtMost, String name) {
    Objects.requireNonNull(waitAtMost, "waitAtMost");
    if (waitAtMost.isNegative()) {
      throw Messages.negativeWait(name, waitAtMost);
    }
    return waitAtMost.compareTo(Duration.ofNanos(FOREVER_NANOS)) > 0
        ? FOREVER_NANOS
        : waitAtMost.toNanos();
  }

  private Lease awaitSync(Slot s, Waiter w) {
    try {
      return w.future.get();
    } catch (InterruptedException ie) {
      LockInterruptedException ex = Messages.interruptedWhileWaiting(s.name, ie);
      if (w.future.completeExceptionally(ex)) {
        w.cancelTimeout();
        removeWaiter(s, w);
        Thread.currentThread().interrupt();
        throw ex;
      }
      // The lease arrived at the same moment: give it back, we were interrupted.
      Lease got =
          w.future.isDone() && !w.future.isCompletedExceptionally() ? w.future.join() : null;
      if (got != null) {
        try {
          got.release();
        } catch (RuntimeException re) {
          ex.addSuppressed(re);
        }
      }
      Thread.currentThread().interrupt();
      throw ex;
    } catch (ExecutionException ee) {
      Throwable cause = ee.getCause();
      if (cause instanceof LockException le) {
        throw le;
      }
      throw engine.messages.acquireFailedUnexpectedly(s.name, cause);
    } catch (CancellationException ce) {
      throw timeoutException(s, w);
    }
  }

  private void scheduleTimeout(Slot s, Waiter w) {
    long delay = w.deadlineNanos - engine.nanoTime();
    if (delay >= FOREVER_NANOS / 2) {
      return;
    }
    try {
      // On the I/O side: the caller's dependent actions run in the completion, and must not hold
      // up the timer.
      w.timeoutTask(engine.scheduleIo(() -> timeOut(s, w), Math.max(0, delay)));
    } catch (RejectedExecutionException rex) {
      w.future.completeExceptionally(engine.messages.closedWhileWaiting(s.name, rex));
    }
  }

  void timeOut(Slot s, Waiter w) {
    if (w.future.completeExceptionally(timeoutException(s, w))) {
      removeWaiter(s, w);
    }
  }

  /** Completes every queued caller exceptionally, outside the slot's lock. */
  void failWaiters(Slot s, LockException ex) {
    for (Waiter w : s.drain()) {
      w.future.completeExceptionally(ex);
    }
    engine.slots.retireIfIdle(s);
  }

  /** A zero wait found another caller of this registry holding or trying: contention. */
  private LockException busyHere(Slot s, Waiter w) {
    return engine.messages.waitEnded(s.name, Duration.ZERO, true, s.attempt.lastTransient);
  }

  private LockException timeoutException(Slot s, Waiter w) {
    boolean seenHeld = s.held() != null || s.attempt.seenHeldSince(w.startNanos);
    return engine.messages.waitEnded(
        s.name,
        Duration.ofNanos(w.deadlineNanos - w.startNanos),
        seenHeld,
        s.attempt.lastTransient);
  }

  private void removeWaiter(Slot s, Waiter w) {
    s.remove(w);
    engine.slots.retireIfIdle(s);
    log.trace("Waiter for lock '{}' left", s.name);
  }
}
