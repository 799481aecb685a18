package dev.dimutex.engine;

import dev.dimutex.Lease;
import dev.dimutex.LockInterruptedException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * The thread-bound, reentrant {@link Lock} view of a mutex. The hold count lives in the registry's
 * entry for the lock name, so views obtained from different {@code Mutex} instances of the same
 * name share it; the lease is released remotely only when the count returns to zero.
 */
final class LockView implements Lock {

  private final StoreLockRegistry registry;
  private final MutexImpl mutex;

  LockView(StoreLockRegistry registry, MutexImpl mutex) {
    this.registry = registry;
    this.mutex = mutex;
  }

  private boolean reenter() {
    Entry e = registry.existing(mutex.name());
    if (e == null) {
      return false;
    }
    synchronized (e) {
      if (e.viewOwner == Thread.currentThread()) {
        e.viewHolds++;
        return true;
      }
    }
    return false;
  }

  private boolean adopt(Optional<Lease> lease) {
    if (lease.isEmpty()) {
      return false;
    }
    Entry e = registry.entryForView(mutex.name());
    synchronized (e) {
      e.viewOwner = Thread.currentThread();
      e.viewHolds = 1;
      e.viewLease = (LeaseImpl) lease.get();
    }
    return true;
  }

  @Override
  public void lock() {
    if (reenter()) {
      return;
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          adopt(Optional.of(mutex.acquire(Duration.ofNanos(StoreLockRegistry.FOREVER_NANOS))));
          return;
        } catch (LockInterruptedException ex) {
          Thread.interrupted();
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before locking '" + mutex.name() + "'");
    }
    if (reenter()) {
      return;
    }
    try {
      adopt(Optional.of(mutex.acquire(Duration.ofNanos(StoreLockRegistry.FOREVER_NANOS))));
    } catch (LockInterruptedException ex) {
      Thread.interrupted();
      InterruptedException ie =
          new InterruptedException("interrupted while waiting for lock '" + mutex.name() + "'");
      ie.initCause(ex);
      throw ie;
    }
  }

  @Override
  public boolean tryLock() {
    return reenter() || adopt(mutex.tryAcquire());
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before locking '" + mutex.name() + "'");
    }
    if (reenter()) {
      return true;
    }
    try {
      return adopt(mutex.tryAcquire(Duration.ofNanos(unit.toNanos(Math.max(0, time)))));
    } catch (LockInterruptedException ex) {
      Thread.interrupted();
      InterruptedException ie =
          new InterruptedException("interrupted while waiting for lock '" + mutex.name() + "'");
      ie.initCause(ex);
      throw ie;
    }
  }

  @Override
  public void unlock() {
    Entry e = registry.existing(mutex.name());
    LeaseImpl toRelease = null;
    if (e != null) {
      synchronized (e) {
        if (e.viewOwner == Thread.currentThread()) {
          if (--e.viewHolds == 0) {
            toRelease = e.viewLease;
            e.viewOwner = null;
            e.viewLease = null;
          } else {
            return;
          }
        }
      }
    }
    if (toRelease == null) {
      throw new IllegalMonitorStateException(
          "lock '" + mutex.name() + "' is not held by thread " + Thread.currentThread().getName());
    }
    toRelease.release();
  }

  @Override
  public Condition newCondition() {
    throw new UnsupportedOperationException(
        "dimutex locks do not support conditions: lock '"
            + mutex.name()
            + "' is distributed, and a Condition cannot be signalled across processes. Use a"
            + " local lock and Condition inside the critical section, or poll the shared state.");
  }

  @Override
  public String toString() {
    return "Lock view of " + mutex;
  }
}
