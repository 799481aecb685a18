package dev.dimutex.engine;

import dev.dimutex.LockException;
import dev.dimutex.LockLostException;
import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.ObjectVersion;
import dev.dimutex.spi.StoreException;
import dev.dimutex.spi.StoredLock;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps leases alive: one conditional metadata update per refresh interval on the shared scheduler,
 * retried within the lease's deadline after transient failures; a write whose outcome is unknown (a
 * transient failure, or any unclassified client failure) is resolved by the read-back classifier. A
 * lease found lost is reported once, outside its monitor, and its slot is freed for the other local
 * callers.
 */
final class Refresher {

  private static final Logger log = LoggerFactory.getLogger(Refresher.class);

  private final Engine engine;

  Refresher(Engine engine) {
    this.engine = engine;
  }

  private long intervalNanos() {
    long interval = engine.refreshInterval.toNanos();
    return interval - (long) (interval * 0.25 * engine.random.getAsDouble());
  }

  /**
   * Schedules a new lease's first refresh, jittered over (nearly) the whole interval (a burst of
   * acquisitions must not make a burst of refreshes every interval after); later ones come a
   * jittered interval apart. A lease confirmed late (an ambiguous create resolved on a later
   * attempt) is counted from its first send, so it may have less time left: then sooner.
   */
  void scheduleFirst(LeaseImpl lease) {
    long interval = engine.refreshInterval.toNanos();
    // Uniform over the last 90 % of the interval: a refresh right after the acquisition would be
    // a wasted write.
    long first = interval - (long) (interval * 0.9 * engine.random.getAsDouble());
    long left = lease.healthyUntilNanos() - engine.nanoTime();
    schedule(lease, Math.max(0, Math.min(first, left / 2)), true);
  }

  /**
   * Schedules the next refresh; a regular one ({@code coalesced}) may come up to a timer tick later
   * (see {@link Engine#scheduleIoCoalesced}), a retry after a failure exactly when computed.
   */
  private void schedule(LeaseImpl lease, long delayNanos, boolean coalesced) {
    if (lease.state() != LeaseImpl.State.ACTIVE) {
      return;
    }
    try {
      Runnable task = () -> scheduled(lease);
      lease.refreshTask(
          coalesced
              ? engine.scheduleIoCoalesced(task, delayNanos)
              : engine.scheduleIo(task, delayNanos));
    } catch (RejectedExecutionException rex) {
      log.debug("Scheduler rejected refresh of lock '{}' (registry closing)", lease.name());
    }
  }

  private void scheduled(LeaseImpl lease) {
    if (lease.state() != LeaseImpl.State.ACTIVE) {
      return;
    }
    try {
      once(lease);
      schedule(lease, intervalNanos(), true);
    } catch (LockLostException lost) {
      // already reported by markLost
    } catch (StoreException ex) {
      int failures = lease.countRefreshFailure();
      engine.listeners.refreshFailed(lease, ex);
      if (!lease.isHealthy()) {
        return;
      }
      long left = lease.healthyUntilNanos() - engine.nanoTime();
      // Retry within the time left, but never faster than the backoff minimum (halving the time
      // left without a floor sent some 30 writes in the lease's last half second); a retry that
      // would come after the deadline runs at the deadline instead, where it only tells the
      // listeners that the lease is lost.
      long delay =
          Math.min(
              engine.backoff.delayNanos(failures, engine.random.getAsDouble()),
              Math.max(engine.backoff.minNanos(), left / 2));
      delay = Math.max(1, Math.min(delay, left));
      log.warn(
          "Refresh of lock '{}' failed ({} in a row), retrying in {} ms; lease healthy for {} ms more: {}",
          lease.name(),
          failures + 1,
          TimeUnit.NANOSECONDS.toMillis(delay),
          TimeUnit.NANOSECONDS.toMillis(left),
          ex.getMessage());
      schedule(lease, delay, false);
    } catch (LockException ex) {
      markLost(lease, engine.messages.refreshFailedPermanently(lease.name(), ex), false);
    } catch (RuntimeException ex) {
      log.error("Unexpected failure refreshing lock '{}'", lease.name(), ex);
      schedule(lease, engine.backoff.maxNanos(), false);
    }
  }

  /** {@link dev.dimutex.Lease#refresh()}: one write, a few retries of transient failures. */
  void manualRefresh(LeaseImpl lease) {
    try {
      engine.retry.call(
          lease.name(),
          () -> {
            once(lease);
            return null;
          },
          (failed, last) -> failed < Engine.ONE_SHOT_TRIES && lease.isHealthy());
    } catch (StoreException ex) {
      lease.checkHealthy();
      int tries = Engine.ONE_SHOT_TRIES;
      throw engine.messages.refreshUnavailable(lease.name(), tries, ex);
    }
  }

  /**
   * One conditional metadata update. Throws {@link StoreException} (transient, lease still healthy)
   * or {@link LockLostException} (lease lost, listeners told after its write lock is released).
   */
  private void once(LeaseImpl lease) {
    lease.checkHealthy();
    LockLostException lost;
    lease.writes.lock();
    try {
      if (lease.state() != LeaseImpl.State.ACTIVE) {
        lease.checkHealthy();
      }
      lost = write(lease);
    } finally {
      lease.writes.unlock();
    }
    if (lost != null) {
      markLost(lease, lost, true);
      throw lost;
    }
  }

  private @Nullable LockLostException write(LeaseImpl lease) {
    long send = engine.nanoTime();
    LockRecord next = lease.record().nextRefresh();
    ObjectVersion expected = lease.version();
    StoreException ambiguous = null;
    try {
      Optional<StoredLock> r = engine.store.update(lease.name(), expected, next);
      if (r.isPresent()) {
        // conditioned on the metageneration we knew: no earlier unresolved write applied
        confirm(lease, r.get(), next, send);
        return null;
      }
    } catch (StoreException ex) {
      if (ex.kind() != StoreException.Kind.TRANSIENT) {
        throw engine.messages.translate(ex, lease.name(), "refresh");
      }
      ambiguous = ex;
    } catch (RuntimeException ex) {
      // Not a classified store failure (a client bug, a closed transport): the write may still
      // have applied, exactly as after a transient failure.
      ambiguous =
          new StoreException(
              StoreException.Kind.TRANSIENT, 0, "unexpected client failure: " + ex, ex);
    }
    if (ambiguous != null) {
      lease.noteUnresolvedWrite(send);
    }
    ReadBack.Seen seen;
    try {
      seen = engine.readBack.readBack(lease.name(), lease.nonce, lease.generation);
    } catch (StoreException ex) {
      if (ambiguous != null) {
        ambiguous.addSuppressed(ex);
        throw ambiguous;
      }
      if (ex.kind() == StoreException.Kind.TRANSIENT) {
        throw ex;
      }
      throw engine.messages.translate(ex, lease.name(), "refresh");
    }
    if (seen.ours()) {
      StoredLock cur = seen.get();
      if (cur.version().metageneration() > expected.metageneration()) {
        log.debug("Refresh of lock '{}' had applied after all ({})", lease.name(), cur.version());
        // The write that applied may be an earlier one whose outcome we never learned: count
        // the lease from the earliest such send.
        long unresolved = lease.unresolvedWriteSendNanos();
        confirm(lease, cur, next, unresolved == LeaseImpl.NONE ? send : unresolved);
        return null;
      }
      if (ambiguous != null) {
        throw ambiguous;
      }
    }
    return engine.messages.lostAtRefresh(lease, Optional.ofNullable(seen.object()));
  }

  private void confirm(LeaseImpl lease, StoredLock stored, LockRecord written, long send) {
    engine.staleness.observe(stored.updated(), engine.nanoTime());
    lease.confirm(stored, written, send, engine.clock.instant());
    log.debug("Refreshed lock '{}' to {}", lease.name(), stored.version());
  }

  /**
   * Turns an active lease lost, tells the listeners once, and frees the local slot: other callers
   * of this registry must not wait behind an owner who may never release (other processes take the
   * lock over after its TTL anyway). A later {@code release()} of the lost lease still reports the
   * loss and never deletes another owner's object.
   */
  void markLost(LeaseImpl lease, LockLostException cause, boolean confirmed) {
    if (!lease.turnLost(cause, confirmed)) {
      return;
    }
    log.warn("{}", cause.getMessage());
    if (lease.claimLossReport()) {
      engine.listeners.lost(lease, cause);
    }
    engine.lostUnreleased.add(lease);
    if (lease.state() == LeaseImpl.State.RELEASED) {
      engine.lostUnreleased.remove(lease); // released meanwhile: its release may have missed it
    }
    engine.releaser.freeSlot(lease);
  }
}
