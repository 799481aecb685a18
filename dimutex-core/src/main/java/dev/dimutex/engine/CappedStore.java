package dev.dimutex.engine;

import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.LockStore;
import dev.dimutex.spi.ObjectVersion;
import dev.dimutex.spi.StoredLock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;

/**
 * The registry's store, with a hard cap on the calls in flight at once (the builder's {@code
 * maxConcurrentStoreCalls}): a burst of refreshes or acquisitions queues here instead of opening an
 * unbounded number of requests. A caller interrupted while it queues gets a transient failure
 * (nothing was sent) with its interrupt flag set again.
 */
final class CappedStore implements LockStore {

  private final LockStore store;
  private final Semaphore permits;

  CappedStore(LockStore store, int maxConcurrentCalls) {
    this.store = store;
    this.permits = new Semaphore(maxConcurrentCalls);
  }

  private void enter() {
    // Uninterruptibly, like the store call itself: a release must finish even on an interrupted
    // thread, or the slot would stay held by a released lease.
    permits.acquireUninterruptibly();
  }

  @Override
  public String describe() {
    return store.describe();
  }

  @Override
  public void validateName(String name) {
    store.validateName(name);
  }

  @Override
  public boolean clientRetriesMutations() {
    return store.clientRetriesMutations();
  }

  @Override
  public Optional<StoredLock> create(
      String name, LockRecord record, @Nullable ObjectVersion replacing) {
    enter();
    try {
      return store.create(name, record, replacing);
    } finally {
      permits.release();
    }
  }

  @Override
  public Optional<StoredLock> read(String name) {
    enter();
    try {
      return store.read(name);
    } finally {
      permits.release();
    }
  }

  @Override
  public Optional<StoredLock> update(String name, ObjectVersion expected, LockRecord record) {
    enter();
    try {
      return store.update(name, expected, record);
    } finally {
      permits.release();
    }
  }

  @Override
  public DeleteOutcome delete(String name, ObjectVersion expected) {
    enter();
    try {
      return store.delete(name, expected);
    } finally {
      permits.release();
    }
  }

  @Override
  public DeleteOutcome deleteGeneration(String name, long generation) {
    enter();
    try {
      return store.deleteGeneration(name, generation);
    } finally {
      permits.release();
    }
  }

  @Override
  public List<StoredLock> list() {
    enter();
    try {
      return store.list();
    } finally {
      permits.release();
    }
  }

  @Override
  public void verifyAccess() {
    enter();
    try {
      store.verifyAccess();
    } finally {
      permits.release();
    }
  }
}
