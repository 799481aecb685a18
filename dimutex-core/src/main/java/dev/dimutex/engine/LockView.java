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
 * slot for the lock name, so views obtained from different {@code Mutex} instances of the same name
 * share it; the lease is released remotely only when the count returns to zero.
 */
final class LockView implements Lock {

  private final Engine engine;
  private final MutexImpl mutex;

  LockView(Engine engine, MutexImpl mutex) {
    this.engine = engine;
    this.mutex = mutex;
  }

  private boolean reenter() {
    Slot s = engine.slots.existing(mutex.name());
    return s != null && s.reenterView(Thread.currentThread());
  }

  private boolean adopt(Optional<Lease> lease) {
    if (lease.isEmpty()) {
      return false;
    }
    while (!engine
        .slots
        .forView(mutex.name())
        .adoptView(Thread.currentThread(), (LeaseImpl) lease.get())) {
      // the slot retired in between: adopt on the fresh one
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
          adopt(Optional.of(mutex.acquire(Duration.ofNanos(Waiting.FOREVER_NANOS))));
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
      throw Messages.interruptedBeforeLocking(mutex.name());
    }
    if (reenter()) {
      return;
    }
    try {
      adopt(Optional.of(mutex.acquire(Duration.ofNanos(Waiting.FOREVER_NANOS))));
    } catch (LockInterruptedException ex) {
      Thread.interrupted();
      throw Messages.interruptedWhileLocking(mutex.name(), ex);
    }
  }

  @Override
  public boolean tryLock() {
    return reenter() || adopt(mutex.tryAcquire());
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    if (Thread.interrupted()) {
      throw Messages.interruptedBeforeLocking(mutex.name());
    }
    if (reenter()) {
      return true;
    }
    try {
      return adopt(mutex.tryAcquire(Duration.ofNanos(unit.toNanos(Math.max(0, time)))));
    } catch (LockInterruptedException ex) {
      Thread.interrupted();
      throw Messages.interruptedWhileLocking(mutex.name(), ex);
    }
  }

  @Override
  public void unlock() {
    Slot s = engine.slots.existing(mutex.name());
    if (s == null) {
      throw Messages.notHeldByThread(mutex.name(), Thread.currentThread());
    }
    LeaseImpl toRelease = s.exitView(Thread.currentThread());
    if (toRelease != null) {
      toRelease.release();
    }
  }

  @Override
  public Condition newCondition() {
    throw Messages.conditionsUnsupported(mutex.name());
  }

  @Override
  public String toString() {
    return "Lock view of " + mutex;
  }
}
