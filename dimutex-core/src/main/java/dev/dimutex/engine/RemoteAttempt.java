package dev.dimutex.engine;

import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.StoreException;
import dev.dimutex.spi.StoredLock;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One remote acquisition attempt for the caller driving a lock name: a conditional create; on a
 * refusal or an unknown outcome, a read-back (our nonce there means we hold it); a takeover of a
 * stale holder's object, conditioned on its generation and metageneration.
 */
final class RemoteAttempt {

  private static final Logger log = LoggerFactory.getLogger(RemoteAttempt.class);

  /** The outcome of one attempt. */
  sealed interface Result permits Acquired, Busy, Unavailable {}

  /** We hold the lock; {@code takenOverFrom} is the stale object replaced, if any. */
  record Acquired(LeaseImpl lease, @Nullable StoredLock takenOverFrom) implements Result {}

  /** Someone else holds it, and it is not stale. */
  record Busy() implements Result {}

  /** The store failed transiently; nothing is known about the holder. */
  record Unavailable(StoreException cause) implements Result {}

  private static final Busy BUSY = new Busy();

  private final Engine engine;

  RemoteAttempt(Engine engine) {
    this.engine = engine;
  }

  /**
   * Makes one attempt; a one-shot attempt retries transient failures a few times itself and then
   * throws {@link dev.dimutex.StoreUnavailableException}.
   *
   * @throws dev.dimutex.LockException on any non-transient failure
   */
  Result attempt(Slot s, boolean oneShot) {
    AttemptState a = s.attempt;
    try {
      Result r =
          engine.retry.call(
              s.name,
              () -> once(s),
              (failed, last) -> {
                noteTransient(s, last);
                return oneShot && failed < Engine.ONE_SHOT_TRIES;
              });
      a.succeeded(r instanceof Busy, engine.nanoTime());
      return r;
    } catch (StoreException ex) {
      if (ex.kind() != StoreException.Kind.TRANSIENT) {
        throw engine.messages.translate(ex, s.name, "acquire");
      }
      if (!oneShot) {
        return new Unavailable(ex);
      }
      throw engine.messages.acquireUnavailable(s.name, Engine.ONE_SHOT_TRIES, ex);
    }
  }

  private void noteTransient(Slot s, StoreException ex) {
    int streak = s.attempt.failedTransiently(ex);
    if (streak == 3 || streak % 20 == 0) {
      log.warn(
          "Lock '{}' in {}: {} transient store failures in a row while acquiring; still trying: {}",
          s.name,
          engine.store.describe(),
          streak,
          ex.getMessage());
    } else {
      log.debug("Transient failure acquiring lock '{}': {}", s.name, ex.getMessage());
    }
  }

  private Result once(Slot s) {
    AttemptState a = s.attempt;
    a.nonce(UUID.randomUUID().toString());
    if (a.observedVersion == null) {
      return create(s, null, 2);
    }
    StoredLock cur = readAndObserve(s);
    if (cur == null) {
      return create(s, null, 2);
    }
    if (cur.hasNonce(Objects.requireNonNull(a.nonce))) {
      return acquired(s, cur, a.createdSince(), null);
    }
    if (engine.staleness.isStale(a, cur)) {
      logTakeover(s, cur);
      return create(s, cur, 1);
    }
    return BUSY;
  }

  private static void logTakeover(Slot s, StoredLock cur) {
    log.debug(
        "Lock '{}' held by {} at {} is stale; taking it over",
        s.name,
        Messages.ownerOf(cur),
        cur.version());
  }

  private Result create(Slot s, @Nullable StoredLock replacing, int triesLeft) {
    AttemptState a = s.attempt;
    String nonce = Objects.requireNonNull(a.nonce);
    long send = engine.nanoTime();
    if (a.firstCreateSendNanos == AttemptState.NONE) {
      a.firstCreateSendNanos = send;
    }
    StoreException ambiguous = null;
    try {
      Optional<StoredLock> created =
          engine.store.create(
              s.name, engine.newRecord(nonce), replacing == null ? null : replacing.version());
      if (created.isPresent()) {
        engine.staleness.observe(created.get().updated(), engine.nanoTime());
        return acquired(s, created.get(), send, replacing);
      }
    } catch (StoreException ex) {
      if (ex.kind() != StoreException.Kind.TRANSIENT) {
        throw engine.messages.translate(ex, s.name, "acquire");
      }
      ambiguous = ex;
      log.debug(
          "Create of lock '{}' had an unknown outcome ({}); reading it back",
          s.name,
          ex.getMessage());
    }
    // This create may have applied unseen if its outcome is unknown, or if the client retries by
    // itself (a 412 can then be the echo of an applied attempt).
    long unresolvedBefore = a.unresolvedCreateSendNanos;
    if ((ambiguous != null || engine.store.clientRetriesMutations())
        && unresolvedBefore == AttemptState.NONE) {
      a.unresolvedCreateSendNanos = send;
    }
    StoredLock cur;
    try {
      cur = readAndObserve(s);
    } catch (StoreException ex) {
      if (ambiguous != null) {
        ambiguous.addSuppressed(ex);
        throw ambiguous;
      }
      throw ex;
    }
    ReadBack.Seen seen =
        ReadBack.classify(Optional.ofNullable(cur), nonce, ReadBack.ANY_GENERATION);
    if (seen.ours()) {
      return acquired(s, seen.get(), a.createdSince(), replacing);
    }
    if (ambiguous != null) {
      throw ambiguous;
    }
    // Refused, and the read-back shows it did not apply either.
    a.unresolvedCreateSendNanos = unresolvedBefore;
    if (cur == null && triesLeft > 1) {
      return create(s, null, triesLeft - 1);
    }
    if (cur != null && replacing == null && engine.staleness.isStale(a, cur)) {
      logTakeover(s, cur);
      return create(s, cur, 1);
    }
    return BUSY;
  }

  private @Nullable StoredLock readAndObserve(Slot s) {
    Optional<StoredLock> read = engine.readBack.read(s.name);
    long recv = engine.nanoTime();
    if (read.isEmpty()) {
      s.attempt.observedVersion = null;
      return null;
    }
    engine.staleness.noteObserved(s.attempt, read.get(), recv);
    return read.get();
  }

  private Acquired acquired(
      Slot s, StoredLock stored, long confirmedSend, @Nullable StoredLock from) {
    LockRecord rec =
        stored.record() != null
            ? stored.record()
            : engine.newRecord(Objects.requireNonNull(s.attempt.nonce));
    LeaseImpl lease = new LeaseImpl(engine, s, stored, rec, confirmedSend, engine.clock.instant());
    s.attempt.acquired();
    if (from != null) {
      log.info(
          "Took over stale lock '{}' in {} from {} (token {}); new token {}",
          s.name,
          engine.store.describe(),
          Messages.ownerOf(from),
          from.version().generation(),
          lease.generation);
    } else {
      log.debug("Acquired lock '{}' with token {}", s.name, lease.generation);
    }
    return new Acquired(lease, from);
  }
}
