package dev.dimutex.engine;

import dev.dimutex.spi.LockStore;
import dev.dimutex.spi.ObjectVersion;
import dev.dimutex.spi.StoreException;
import dev.dimutex.spi.StoredLock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes lock objects conditionally: a release (both preconditions of the lease; outcomes that may
 * be echoes of our own applied attempts are resolved by the read-back classifier) and an operator's
 * forced release (the generation just read).
 */
final class ConditionalDelete {

  private static final Logger log = LoggerFactory.getLogger(ConditionalDelete.class);

  /** Longest a release keeps retrying transient failures. */
  static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Tries of a release's delete, transient failures and refreshed versions together. */
  private static final int TRIES = 8;

  private final Engine engine;

  ConditionalDelete(Engine engine) {
    this.engine = engine;
  }

  /**
   * Deletes our object; the caller holds the lease's write lock.
   *
   * @return null once deleted, or the lease of a local hand-over of ours that landed late, for the
   *     caller still waiting for it
   * @throws dev.dimutex.LockLostException if another owner's object (or none) was found
   * @throws dev.dimutex.LockException if the store stayed unavailable
   */
  @Nullable LeaseImpl deleteForRelease(LeaseImpl lease, boolean healthyAtSend) {
    String name = lease.name();
    boolean[] failedOnce = {engine.store.clientRetriesMutations()};
    long budgetEnd = engine.nanoTime() + BUDGET_NANOS;
    int[] tries = {0};
    ObjectVersion target = lease.version();
    while (true) {
      ObjectVersion t = target;
      LockStore.DeleteOutcome o;
      try {
        o =
            engine.retry.call(
                name,
                () -> engine.store.delete(name, t),
                (failed, last) -> {
                  failedOnce[0] = true;
                  log.debug("Release of lock '{}' failed transiently: {}", name, last.getMessage());
                  return ++tries[0] < TRIES && engine.nanoTime() - budgetEnd < 0;
                });
      } catch (StoreException ex) {
        if (ex.kind() != StoreException.Kind.TRANSIENT) {
          throw engine.messages.translate(ex, name, "release");
        }
        throw engine.messages.releaseUnavailable(name, ex);
      }
      if (o == LockStore.DeleteOutcome.DELETED) {
        log.debug("Released lock '{}' (token {})", name, lease.generation);
        return null;
      }
      // While our lease was healthy nobody else could legally take the lock over, so after an
      // attempt with an unknown outcome, an object that is gone (or re-created since) was
      // deleted by that attempt of ours.
      boolean ourEcho = failedOnce[0] && healthyAtSend;
      if (o == LockStore.DeleteOutcome.NOT_FOUND) {
        if (ourEcho) {
          log.debug("Release of lock '{}' had applied on an earlier attempt", name);
          return null;
        }
        throw engine.messages.lostBeforeDelete(lease, o);
      }
      Optional<StoredLock> back;
      try {
        back = engine.readBack.read(name);
      } catch (StoreException ex) {
        if (ourEcho) {
          return null;
        }
        throw engine.messages.releaseUnconfirmed(name, ex);
      }
      LeaseImpl.PendingHandOver pending = lease.pendingHandOver();
      if (pending != null
          && ReadBack.classify(back, pending.nonce(), ReadBack.ANY_GENERATION).ours()) {
        lease.rememberHandOver(null);
        if (engine.releaser.hasLiveWaiter(lease.slot)) {
          // A hand-over of ours landed late: it is the waiter's lock, counted from its send.
          log.debug("Lock '{}' was handed over late; delivering it", name);
          return engine.handOver.successor(
              lease, back.get(), pending.record(), pending.sendNanos());
        }
        log.debug("Lock '{}' was replaced by our own hand-over; deleting that", name);
        target = back.get().version();
        continue;
      }
      if (ReadBack.classify(back, lease.nonce, lease.generation).ours() && ++tries[0] < TRIES) {
        // Still our acquisition: only the metageneration moved, by a refresh of ours whose
        // response was lost. Delete at the version we now know.
        log.debug("Lock '{}' is still ours at {}; deleting that", name, back.get().version());
        target = back.get().version();
        continue;
      }
      if (ourEcho && (back.isEmpty() || back.get().version().generation() != t.generation())) {
        log.debug("Release of lock '{}' had applied on an earlier attempt", name);
        return null;
      }
      throw engine.messages.lostBeforeDelete(lease, o);
    }
  }

  /** An operator's action: removes whoever holds the lock, at the generation just read. */
  void forceRelease(String name) {
    try {
      Optional<StoredLock> cur = engine.store.read(name);
      if (cur.isEmpty()) {
        log.debug("forceRelease of lock '{}': nothing to remove", name);
        return;
      }
      StoredLock s = cur.get();
      LockStore.DeleteOutcome o = engine.store.deleteGeneration(name, s.version().generation());
      if (o == LockStore.DeleteOutcome.DELETED) {
        log.info(
            "Force-released lock '{}' in {} held by {} (token {})",
            name,
            engine.store.describe(),
            Messages.ownerOf(s),
            s.version().generation());
      } else {
        log.info(
            "forceRelease of lock '{}': it changed after it was read (now {}); nothing removed",
            name,
            o);
      }
    } catch (StoreException ex) {
      throw engine.messages.translate(ex, name, "force-release");
    }
  }
}
