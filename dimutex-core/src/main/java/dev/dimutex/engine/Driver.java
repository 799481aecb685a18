package dev.dimutex.engine;

import dev.dimutex.Lease;
import dev.dimutex.LockException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller driving a lock name for everyone queued in its slot: schedules the remote attempts
 * with backoff, and hands an acquired lease to the first caller still waiting. Listeners hear
 * {@code onAcquired} before the waiter's future completes, and the completion goes through the
 * {@link Completions} trampoline, after every state change.
 */
final class Driver {

  private static final Logger log = LoggerFactory.getLogger(Driver.class);

  private final Engine engine;

  Driver(Engine engine) {
    this.engine = engine;
  }

  /** A synchronous driver keeps the lease it acquired for itself. */
  Lease keep(Slot s, RemoteAttempt.Acquired a, long startNanos) {
    LeaseImpl lease = a.lease();
    s.hold(lease);
    if (engine.isClosed()) {
      // close() ran during the attempt and could not see this lease: give it back.
      releaseQuietly(lease, "acquired while closing");
      throw Messages.closedWhileAcquiring(engine.ownerId, s.name);
    }
    engine.refresher.scheduleFirst(lease);
    notifyAcquired(lease, engine.nanoTime() - startNanos, a);
    return lease;
  }

  /** The driver gives up its turn; drives on later if callers are still queued. */
  void stopDriving(Slot s) {
    if (s.keepDriving()) {
      scheduleDrive(s, nextBackoff(s));
    } else {
      engine.slots.retireIfIdle(s);
    }
  }

  long nextBackoff(Slot s) {
    AttemptState a = s.attempt;
    long delay = engine.backoff.delayNanos(a.nextBackoffStep(), engine.random.getAsDouble());
    // Poll no later than the moment the observed holder turns stale, so that a dead holder is
    // taken over within its TTL (plus one poll interval to observe its last version). Once that
    // moment has passed (the takeover or its read failed transiently), back off as usual: a
    // delay of "now" would retry in a tight loop and storm the object.
    long untilStale =
        a.observedVersion == null ? Long.MAX_VALUE : a.staleAtNanos - engine.nanoTime();
    if (untilStale > 0) {
      delay = Math.min(delay, untilStale);
    }
    return Math.max(1, delay);
  }

  void scheduleDrive(Slot s, long delayNanos) {
    try {
      engine.scheduleIo(() -> driveStep(s), delayNanos);
    } catch (RejectedExecutionException rex) {
      engine.waiting.failWaiters(s, engine.messages.closedWhileWaiting(s.name, rex));
    }
  }

  private void driveStep(Slot s) {
    if (engine.isClosed()) {
      engine.waiting.failWaiters(s, engine.messages.closedWhileWaiting(s.name, null));
      return;
    }
    if (!s.keepDriving()) {
      engine.slots.retireIfIdle(s);
      return;
    }
    RemoteAttempt.Result r;
    try {
      r = engine.attempts.attempt(s, false);
    } catch (LockException ex) {
      engine.waiting.failWaiters(s, ex);
      return;
    } catch (RuntimeException ex) {
      log.error("Unexpected failure while acquiring lock '{}'", s.name, ex);
      engine.waiting.failWaiters(s, engine.messages.acquireFailedUnexpectedly(s.name, ex));
      return;
    }
    if (r instanceof RemoteAttempt.Acquired a) {
      deliver(s, a.lease(), a);
      return;
    }
    for (Waiter w : s.expired(engine.nanoTime())) {
      engine.waiting.timeOut(s, w);
    }
    if (!s.keepDriving()) {
      engine.slots.retireIfIdle(s);
      return;
    }
    scheduleDrive(s, nextBackoff(s));
  }

  /**
   * Hands a lease to the first caller still waiting, or releases it if none is left. The caller
   * must hold no lock.
   */
  void deliver(Slot s, LeaseImpl lease, RemoteAttempt.@Nullable Acquired a) {
    while (true) {
      Waiter w = s.handTo(lease);
      if (w == null) {
        log.debug("Nobody is waiting any more for lock '{}'; releasing it again", s.name);
        releaseQuietly(lease, "unclaimed");
        return;
      }
      if (w.future.isDone()) {
        continue;
      }
      // The caller's dependent actions run when its future completes: by then the lease must
      // be refreshed automatically (a release cancels it) and the listeners must have heard of
      // it.
      engine.refresher.scheduleFirst(lease);
      w.cancelTimeout();
      notifyAcquired(lease, engine.nanoTime() - w.startNanos, a);
      Completions.run(
          () -> {
            if (!w.future.complete(lease)) {
              // cancelled or timed out from outside meanwhile: nobody else will release it
              releaseQuietly(lease, "unclaimed");
            }
          });
      return;
    }
  }

  private void notifyAcquired(
      LeaseImpl lease, long waitedNanos, RemoteAttempt.@Nullable Acquired a) {
    engine.listeners.acquired(lease, Duration.ofNanos(Math.max(0, waitedNanos)));
    if (a != null && a.takenOverFrom() != null) {
      engine.listeners.staleTakeover(lease, a.takenOverFrom().version().generation());
    }
  }

  void releaseQuietly(LeaseImpl lease, String why) {
    try {
      engine.releaser.release(lease);
    } catch (RuntimeException ex) {
      log.warn("Could not release {} lock '{}': {}", why, lease.name(), ex.toString());
    }
  }
}
