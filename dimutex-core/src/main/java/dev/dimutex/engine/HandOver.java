package dev.dimutex.engine;

import dev.dimutex.LockInterruptedException;
import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.ObjectVersion;
import dev.dimutex.spi.StoreException;
import dev.dimutex.spi.StoredLock;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local hand-over: replaces our object by a new generation for the next local caller in one
 * conditional write (ifGenerationMatch and ifMetagenerationMatch of the releasing lease). The
 * successor gets a new fencing token and nonce; the object is never absent in between.
 */
final class HandOver {

  private static final Logger log = LoggerFactory.getLogger(HandOver.class);

  /** Reads tried after a hand-over with an unknown outcome. */
  private static final int READ_TRIES = 3;

  private final Engine engine;

  HandOver(Engine engine) {
    this.engine = engine;
  }

  /**
   * Tries the hand-over; the caller holds the lease's write lock.
   *
   * @return the successor's lease, or null if the hand-over did not happen (the caller then
   *     deletes). A hand-over whose outcome stays unknown is remembered on the lease even when a
   *     read-back still shows our object, because it may land later: the delete then recognises it
   *     and delivers it.
   * @throws dev.dimutex.LockLostException if the object turned out to be someone else's
   */
  @Nullable LeaseImpl handOver(LeaseImpl lease) {
    String nonce = UUID.randomUUID().toString();
    LockRecord rec = engine.newRecord(nonce);
    long send = engine.nanoTime();
    Replaced first = replace(lease, rec, lease.version());
    if (first.object() != null) {
      return successor(lease, first.object(), rec, send);
    }
    if (first.refused()) {
      return null;
    }
    if (first.ambiguous()) {
      lease.rememberHandOver(new LeaseImpl.PendingHandOver(nonce, rec, send));
    }
    Optional<StoredLock> back;
    try {
      back =
          engine.retry.call(
              lease.name(),
              () -> engine.readBack.read(lease.name()),
              (failed, last) -> failed < READ_TRIES);
    } catch (StoreException | LockInterruptedException ex) {
      // Unknown whether the successor object exists (or interrupted: the flag is set again);
      // never leave the release half done. The delete path recognises the object if it exists.
      return null;
    }
    if (ReadBack.classify(back, nonce, ReadBack.ANY_GENERATION).ours()) {
      lease.rememberHandOver(null);
      return successor(lease, back.get(), rec, send);
    }
    ReadBack.Seen old = ReadBack.classify(back, lease.nonce, lease.generation);
    if (old.ours()) {
      if (!first.ambiguous()
          && old.get().version().metageneration() > lease.version().metageneration()) {
        // Refused because a refresh of ours applied unseen: hand over at the version read back
        // (three requests in all) instead of deleting and re-creating.
        Replaced second = replace(lease, rec, old.get().version());
        if (second.object() != null) {
          return successor(lease, second.object(), rec, send);
        }
        if (second.ambiguous()) {
          lease.rememberHandOver(new LeaseImpl.PendingHandOver(nonce, rec, send));
        }
      }
      return null; // still ours, not replaced (yet): fall back to delete
    }
    if (first.ambiguous()) {
      return null;
    }
    throw engine.messages.lostBeforeHandOver(lease, back);
  }

  /** One conditional replace: the new object, a refusal, or an unknown outcome. */
  private record Replaced(@Nullable StoredLock object, boolean refused, boolean ambiguous) {}

  private Replaced replace(LeaseImpl lease, LockRecord rec, ObjectVersion expected) {
    try {
      Optional<StoredLock> r = engine.store.create(lease.name(), rec, expected);
      if (r.isPresent()) {
        engine.staleness.observe(r.get().updated(), engine.nanoTime());
        log.debug(
            "Handed lock '{}' over locally: token {} -> {}",
            lease.name(),
            lease.generation,
            r.get().version().generation());
        return new Replaced(r.get(), false, false);
      }
      return new Replaced(null, false, false); // 412: read back to learn why
    } catch (StoreException ex) {
      boolean transientFailure = ex.kind() == StoreException.Kind.TRANSIENT;
      return new Replaced(null, !transientFailure, transientFailure);
    } catch (RuntimeException ex) {
      // Not a classified store failure (a client bug, a closed transport): the outcome is just as
      // unknown, and escaping here would leave the slot held by the released lease.
      log.warn("Hand-over of lock '{}' failed unexpectedly: {}", lease.name(), ex.toString());
      return new Replaced(null, false, true);
    }
  }

  LeaseImpl successor(LeaseImpl lease, StoredLock stored, LockRecord rec, long sendNanos) {
    return new LeaseImpl(engine, lease.slot, stored, rec, sendNanos, engine.clock.instant());
  }
}
