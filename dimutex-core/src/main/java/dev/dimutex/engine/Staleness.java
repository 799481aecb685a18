package dev.dimutex.engine;

import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.StoreException;
import dev.dimutex.spi.StoredLock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * When another holder's lock may be taken over, by either rule of SEMANTICS.md, both resting on one
 * assumption (the rates of any two clocks involved differ by at most 10 %):
 *
 * <ol>
 *   <li>the holder's version stayed unchanged for its whole TTL, measured on this process's
 *       monotonic clock from the first read that showed it;
 *   <li>a lower bound of the store's time ({@link ServerClock}, carried forward pessimistically) is
 *       at least the object's {@code updated} plus its TTL.
 * </ol>
 *
 * A TTL read from an object is clamped to the builder's range (1 s to 1 day) before any use.
 */
final class Staleness {

  private final Engine engine;
  private final ServerClock serverClock = new ServerClock();

  Staleness(Engine engine) {
    this.engine = engine;
  }

  /** Learns from a server timestamp received at the given monotonic time. */
  void observe(@Nullable Instant serverTime, long receivedAtNanos) {
    if (serverTime != null) {
      serverClock.observe(serverTime, receivedAtNanos);
    }
  }

  /**
   * The holder's TTL as written in its object, clamped to the range a builder accepts: a corrupt or
   * hostile value can neither overflow the arithmetic nor block the lock for more than a day.
   */
  long holderTtlNanos(StoredLock s) {
    LockRecord r = s.record();
    if (r == null) {
      return engine.ttlNanos;
    }
    Duration t = r.ttl();
    if (t.compareTo(RegistrySettings.MAX_TTL) > 0) {
      t = RegistrySettings.MAX_TTL;
    } else if (t.compareTo(RegistrySettings.MIN_TTL) < 0) {
      t = RegistrySettings.MIN_TTL;
    }
    return t.toNanos();
  }

  /** Remembers when the driver first saw this version (rule 1). */
  void noteObserved(AttemptState a, StoredLock cur, long receivedAtNanos) {
    if (!cur.version().equals(a.observedVersion)) {
      a.observedVersion = cur.version();
      a.observedSinceNanos = receivedAtNanos;
      a.staleAtNanos = receivedAtNanos + holderTtlNanos(cur);
    }
  }

  boolean isStale(AttemptState a, StoredLock cur) {
    long now = engine.nanoTime();
    long holderTtl = holderTtlNanos(cur);
    if (cur.version().equals(a.observedVersion) && now - a.observedSinceNanos >= holderTtl) {
      return true;
    }
    return serverSaysStale(cur, now, holderTtl);
  }

  private boolean serverSaysStale(StoredLock cur, long now, long holderTtl) {
    Instant updated = cur.updated();
    long serverNow = serverClock.lowerBoundEpochNanos(now);
    return updated != null
        && serverNow != Long.MIN_VALUE
        && serverNow - ServerClock.epochNanos(updated) >= holderTtl;
  }

  /** The store's view: held by anyone (this process included) and not provably stale. */
  boolean isLocked(String name) {
    Optional<StoredLock> cur;
    try {
      cur = engine.store.read(name);
    } catch (StoreException ex) {
      throw engine.messages.translate(ex, name, "read");
    }
    long recv = engine.nanoTime();
    if (cur.isEmpty()) {
      return false;
    }
    StoredLock s = cur.get();
    observe(s.updated(), recv);
    Slot slot = engine.slots.existing(name);
    LeaseImpl held = slot == null ? null : slot.held();
    if (held != null && held.generation == s.version().generation()) {
      return true;
    }
    return !serverSaysStale(s, recv, holderTtlNanos(s));
  }
}
