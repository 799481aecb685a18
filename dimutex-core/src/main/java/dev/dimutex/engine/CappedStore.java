package dev.dimutex.engine;

import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.LockStore;
import dev.dimutex.spi.ObjectVersion;
import dev.dimutex.spi.StoredLock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The registry's store, with a hard cap on the calls in flight at once (the builder's {@code
 * maxConcurrentStoreCalls}): a burst of refreshes or acquisitions queues here instead of opening an
 * unbounded number of requests.
 *
 * <p>Refresh writes ({@link #update}, which only the refresher calls) go first: while one waits,
 * the next free place is its, so a burst of acquisitions from many threads cannot hold every place
 * while held leases run out of time. Refreshes are bounded (one per held lease per interval), so
 * the other calls are delayed, never starved.
 *
 * <p>Waiting here is uninterruptible, like the store call itself: a release must finish even on an
 * interrupted thread, or the slot would stay held by a released lease.
 */
final class CappedStore implements LockStore {

  private final LockStore store;
  private final int cap;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition refreshTurn = lock.newCondition();
  private final Condition otherTurn = lock.newCondition();
  private int inFlight;
  private int refreshesWaiting;
  private int othersWaiting;

  CappedStore(LockStore store, int maxConcurrentCalls) {
    this.store = store;
    this.cap = maxConcurrentCalls;
  }

  private void enter() {
    lock.lock();
    try {
      if (inFlight >= cap || refreshesWaiting > 0) {
        othersWaiting++;
        try {
          while (inFlight >= cap || refreshesWaiting > 0) {
            otherTurn.awaitUninterruptibly();
          }
        } finally {
          othersWaiting--;
        }
      }
      inFlight++;
      if (inFlight < cap) {
        otherTurn.signal(); // a place is still free: pass the turn on (see enterRefresh)
      }
    } finally {
      lock.unlock();
    }
  }

  private void enterRefresh() {
    lock.lock();
    try {
      refreshesWaiting++;
      try {
        while (inFlight >= cap) {
          refreshTurn.awaitUninterruptibly();
        }
      } finally {
        refreshesWaiting--;
      }
      inFlight++;
      if (refreshesWaiting == 0 && inFlight < cap) {
        otherTurn.signal(); // others may have waited behind this refresh while a place was free
      }
    } finally {
      lock.unlock();
    }
  }

  private void exit() {
    lock.lock();
    try {
      inFlight--;
      if (refreshesWaiting > 0) {
        refreshTurn.signal();
      } else {
        otherTurn.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Calls in flight, refreshes waiting and other calls waiting, for tests. */
  int[] state() {
    lock.lock();
    try {
      return new int[] {inFlight, refreshesWaiting, othersWaiting};
    } finally {
      lock.unlock();
    }
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
      exit();
    }
  }

  @Override
  public Optional<StoredLock> read(String name) {
    enter();
    try {
      return store.read(name);
    } finally {
      exit();
    }
  }

  @Override
  public Optional<StoredLock> update(String name, ObjectVersion expected, LockRecord record) {
    enterRefresh();
    try {
      return store.update(name, expected, record);
    } finally {
      exit();
    }
  }

  @Override
  public DeleteOutcome delete(String name, ObjectVersion expected) {
    enter();
    try {
      return store.delete(name, expected);
    } finally {
      exit();
    }
  }

  @Override
  public DeleteOutcome deleteGeneration(String name, long generation) {
    enter();
    try {
      return store.deleteGeneration(name, generation);
    } finally {
      exit();
    }
  }

  @Override
  public List<StoredLock> list() {
    enter();
    try {
      return store.list();
    } finally {
      exit();
    }
  }

  @Override
  public void verifyAccess() {
    enter();
    try {
      store.verifyAccess();
    } finally {
      exit();
    }
  }
}
