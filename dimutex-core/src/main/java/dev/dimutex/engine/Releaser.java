package dev.dimutex.engine;

import dev.dimutex.LockException;
import dev.dimutex.LockLostException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a lease: a local hand-over to the next caller of this registry if one waits (one conditional
 * write), otherwise a conditional delete; a loss found on the way is reported, never hidden.
 * Whatever happens, even an {@link Error}, the slot is never left held by the released lease.
 * Listeners hear the release before the successor's acquisition, outside every lock, and the
 * successor's future completes last, through the trampoline.
 */
final class Releaser {

  private static final Logger log = LoggerFactory.getLogger(Releaser.class);

  private final Engine engine;

  Releaser(Engine engine) {
    this.engine = engine;
  }

  /** The outcome of the remote part of a release, decided under the lease's write lock. */
  private static final class Outcome {
    @Nullable LeaseImpl successor;
    @Nullable LockLostException lost;
    @Nullable LockException failure;
  }

  void release(LeaseImpl lease) {
    // Health is judged before the lease's write lock is taken: an expiry found here is reported to
    // the listeners without holding it.
    boolean healthyBefore = lease.isHealthy();
    Outcome out = new Outcome();
    boolean mine = false;
    try {
      lease.writes.lock();
      try {
        LeaseImpl.State prior = lease.turnReleased();
        if (prior == null) {
          return;
        }
        mine = true;
        releaseLocked(lease, prior, healthyBefore, out);
      } finally {
        lease.writes.unlock();
      }
    } finally {
      if (mine) {
        engine.lostUnreleased.remove(lease);
        if (out.successor == null) {
          freeSlot(lease);
        }
      }
    }
    LockLostException lost = out.lost;
    if (lost != null) {
      lease.noteLoss(lost);
      if (lease.claimLossReport()) {
        engine.listeners.lost(lease, lost);
      }
      log.warn("{}", lost.getMessage());
    } else if (out.failure == null) {
      engine.listeners.released(
          lease, Duration.ofNanos(Math.max(0, engine.nanoTime() - lease.acquiredNanos)));
    }
    if (out.successor != null) {
      engine.driver.deliver(lease.slot, out.successor, null);
    }
    if (lost != null) {
      throw lost;
    }
    if (out.failure != null) {
      throw out.failure;
    }
  }

  private void releaseLocked(
      LeaseImpl lease, LeaseImpl.State prior, boolean healthyBefore, Outcome out) {
    boolean healthy =
        healthyBefore
            && prior == LeaseImpl.State.ACTIVE
            && engine.nanoTime() - lease.healthyUntilNanos() < 0;
    boolean wasConfirmedLost = prior == LeaseImpl.State.LOST && lease.lostConfirmed();
    LockLostException priorLoss = lease.lostCause();
    if (healthy && hasLiveWaiter(lease.slot)) {
      try {
        out.successor = engine.handOver.handOver(lease);
      } catch (LockLostException ex) {
        out.lost = ex;
      }
    }
    boolean deleted = false;
    if (out.successor == null && out.lost == null && !wasConfirmedLost) {
      try {
        out.successor = engine.deletes.deleteForRelease(lease, healthy);
        deleted = true;
      } catch (LockLostException ex) {
        out.lost = ex;
      } catch (LockException ex) {
        out.failure = ex;
      } catch (RuntimeException ex) {
        out.failure = engine.messages.releaseFailedUnexpectedly(lease.name(), ex);
      }
    }
    if (out.lost == null && !healthy && !deleted) {
      // An expired lease whose object was still ours (the conditional delete succeeded) was
      // never taken over, so only a lease we could not delete is reported as lost.
      out.failure = null;
      out.lost =
          priorLoss != null
              ? new LockLostException(priorLoss.getMessage(), priorLoss)
              : engine.messages.expired(lease);
    }
  }

  boolean hasLiveWaiter(Slot s) {
    return !engine.isClosed() && s.hasLiveWaiter();
  }

  /** Clears the slot if this lease still holds it, and lets the queued callers drive. */
  void freeSlot(LeaseImpl lease) {
    Slot s = lease.slot;
    if (s.free(lease)) {
      engine.driver.scheduleDrive(s, 0);
    } else {
      engine.slots.retireIfIdle(s);
    }
  }
}
