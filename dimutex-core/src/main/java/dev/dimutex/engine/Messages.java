package dev.dimutex.engine;

import dev.dimutex.LockConfigurationException;
import dev.dimutex.LockException;
import dev.dimutex.LockInterruptedException;
import dev.dimutex.LockLostException;
import dev.dimutex.LockTimeoutException;
import dev.dimutex.StoreUnavailableException;
import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.LockStore;
import dev.dimutex.spi.StoreException;
import dev.dimutex.spi.StoredLock;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one factory of every exception message of the engine. Each names the lock and the store; each
 * loss says that the protected data may have been touched by another holder.
 */
final class Messages {

  private static final String TOUCHED =
      ". The data it protected may have been touched by another holder.";

  private final LockStore store;
  private final Duration ttl;

  Messages(LockStore store, Duration ttl) {
    this.store = store;
    this.ttl = ttl;
  }

  private String where(String name) {
    return "lock '" + name + "' in " + store.describe();
  }

  static String ownerOf(StoredLock s) {
    LockRecord r = s.record();
    return r == null
        ? "a non-dimutex writer"
        : "owner " + r.ownerId() + " (" + r.ownerDescription() + ")";
  }

  LockException translate(StoreException ex, String name, String action) {
    String where = where(name);
    return switch (ex.kind()) {
      case CONFIGURATION ->
          new LockConfigurationException(
              "cannot " + action + " " + where + ": " + ex.getMessage(), ex);
      case TRANSIENT ->
          new StoreUnavailableException(
              "cannot " + action + " " + where + ", the store is unavailable: " + ex.getMessage(),
              ex);
      case FATAL ->
          new LockException("cannot " + action + " " + where + ": " + ex.getMessage(), ex);
    };
  }

  /** A wait ran out: contention if the holder was seen, an outage if only failures were. */
  LockException waitEnded(String name, Duration wait, boolean seenHeld, @Nullable Throwable last) {
    if (!seenHeld && last != null) {
      return new StoreUnavailableException(
          where(name)
              + " could not be acquired within the wait of "
              + wait
              + ": the store was unavailable (transient failures after retries) and nobody was"
              + " seen holding the lock; last error: "
              + last.getMessage(),
          last);
    }
    return new LockTimeoutException(
        where(name)
            + (last == null
                ? " stayed held by another owner for the whole wait of "
                : " could not be acquired (held by another owner or the store failing"
                    + " transiently) within the wait of ")
            + wait,
        last);
  }

  StoreUnavailableException acquireUnavailable(String name, int tries, StoreException last) {
    return new StoreUnavailableException(
        "could not acquire "
            + where(name)
            + ": the store stayed unavailable through "
            + tries
            + " attempts",
        last);
  }

  StoreUnavailableException refreshUnavailable(String name, int tries, StoreException last) {
    return new StoreUnavailableException(
        "refresh of lock '"
            + name
            + "' failed: the store stayed unavailable through "
            + tries
            + " attempts; the lease stays healthy until its deadline",
        last);
  }

  LockLostException refreshFailedPermanently(String name, LockException cause) {
    return new LockLostException(
        "refresh of lock '" + name + "' failed permanently: " + cause.getMessage(), cause);
  }

  LockLostException expired(LeaseImpl lease) {
    return new LockLostException(
        "lease on lock '"
            + lease.name()
            + "' (token "
            + lease.generation
            + ") expired: the store did not confirm a refresh within its TTL of "
            + ttl
            + " minus a safety margin, so another owner may have taken it over"
            + TOUCHED);
  }

  LockLostException lostAtRefresh(LeaseImpl lease, Optional<StoredLock> now) {
    return new LockLostException(
        "lost lock '"
            + lease.name()
            + "' (token "
            + lease.generation
            + "): "
            + (now.isEmpty()
                ? "its object was deleted"
                : "its object is now " + now.get().version() + " of " + ownerOf(now.get()))
            + TOUCHED);
  }

  LockLostException lostBeforeHandOver(LeaseImpl lease, Optional<StoredLock> now) {
    return new LockLostException(
        "lost lock '"
            + lease.name()
            + "' (token "
            + lease.generation
            + ") before its release: "
            + (now.isEmpty()
                ? "its object had been deleted"
                : "its object is now " + now.get().version() + " of " + ownerOf(now.get()))
            + TOUCHED);
  }

  LockLostException lostBeforeDelete(LeaseImpl lease, LockStore.DeleteOutcome outcome) {
    return new LockLostException(
        "lock '"
            + lease.name()
            + "' (token "
            + lease.generation
            + ") had been lost before its release: "
            + (outcome == LockStore.DeleteOutcome.NOT_FOUND
                ? "its object had been deleted"
                : "its object had been replaced by another owner")
            + "; nothing was deleted"
            + TOUCHED);
  }

  StoreUnavailableException releaseUnavailable(String name, StoreException last) {
    return new StoreUnavailableException(
        "could not release "
            + where(name)
            + ": the store stayed unavailable; the lock expires after its TTL of "
            + ttl,
        last);
  }

  LockException releaseUnconfirmed(String name, StoreException last) {
    return new LockException(
        "could not confirm the release of " + where(name) + "; it expires after its TTL of " + ttl,
        last);
  }

  LockException releaseFailedUnexpectedly(String name, RuntimeException cause) {
    return new LockException(
        "could not release "
            + where(name)
            + ": unexpected failure; the lock expires after its TTL of "
            + ttl,
        cause);
  }

  LockException acquireFailedUnexpectedly(String name, Throwable cause) {
    return new LockException("unexpected failure acquiring lock '" + name + "': " + cause, cause);
  }

  LockException closedWhileWaiting(String name, @Nullable Throwable cause) {
    return new LockException("registry closed while waiting for lock '" + name + "'", cause);
  }

  static IllegalArgumentException negativeWait(String name, Duration wait) {
    return new IllegalArgumentException(
        "waitAtMost must not be negative for lock '" + name + "', was " + wait);
  }

  static IllegalStateException waitOnSchedulerThread(String name) {
    return new IllegalStateException(
        "waiting for lock '"
            + name
            + "' on a dimutex scheduler thread would block the refreshes and polls it runs;"
            + " use acquireAsync(...) or tryAcquire() there");
  }

  static LockLostException released(String name) {
    return new LockLostException(
        "lease on lock '" + name + "' was released; it no longer protects anything");
  }

  static IllegalStateException registryClosed(String ownerId) {
    return new IllegalStateException("lock registry of owner " + ownerId + " has been closed");
  }

  static IllegalStateException closedWhileAcquiring(String ownerId, String name) {
    return new IllegalStateException(
        "lock registry of owner " + ownerId + " was closed while acquiring '" + name + "'");
  }

  static LockInterruptedException interruptedWhileWaiting(String name, InterruptedException ie) {
    return new LockInterruptedException("interrupted while waiting for lock '" + name + "'", ie);
  }

  static LockInterruptedException interruptedWhileRetrying(String name, InterruptedException ie) {
    return new LockInterruptedException("interrupted while retrying lock '" + name + "'", ie);
  }

  static InterruptedException interruptedBeforeLocking(String name) {
    return new InterruptedException("interrupted before locking '" + name + "'");
  }

  static InterruptedException interruptedWhileLocking(String name, Throwable cause) {
    InterruptedException ie =
        new InterruptedException("interrupted while waiting for lock '" + name + "'");
    ie.initCause(cause);
    return ie;
  }

  static IllegalMonitorStateException notHeldByThread(String name, Thread t) {
    return new IllegalMonitorStateException(
        "lock '" + name + "' is not held by thread " + t.getName());
  }

  static UnsupportedOperationException conditionsUnsupported(String name) {
    return new UnsupportedOperationException(
        "dimutex locks do not support conditions: lock '"
            + name
            + "' is distributed, and a Condition cannot be signalled across processes. Use a"
            + " local lock and Condition inside the critical section, or poll the shared state.");
  }
}
