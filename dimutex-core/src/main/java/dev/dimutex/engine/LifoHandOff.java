package dev.dimutex.engine;

import java.util.AbstractQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The work queue of the elastic I/O pool (runtimes without virtual threads): a task goes straight
 * to the worker that became idle <em>last</em>, the pool adds a thread when no worker is idle, and
 * only at the pool's cap does a task wait in a backlog (through {@link #enqueue}, from the
 * rejection handler), which the next worker to finish takes first.
 *
 * <p>Handing work to the most recently idle worker is what lets the pool shrink: with a first-in
 * first-out hand-off (a {@code LinkedTransferQueue}) a steady stream of short calls goes round
 * every thread the pool ever made, so none stays idle for the keep-alive and a burst's threads live
 * on. A {@code SynchronousQueue} is last-in first-out too, but it has no backlog for the cap.
 *
 * <p>{@link java.util.concurrent.ThreadPoolExecutor} uses {@link #offer(Object)} to hand over,
 * {@link #poll(long, TimeUnit)} and {@link #take()} in its workers, and the collection methods for
 * the backlog (shutdown, purge); they see only the backlog.
 */
final class LifoHandOff extends AbstractQueue<Runnable> implements BlockingQueue<Runnable> {

  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Runnable> backlog = new ArrayDeque<>();

  /** Idle workers, the most recently idle first. */
  private final ArrayDeque<Idle> idle = new ArrayDeque<>();

  /** One waiting worker; its task is set by the hand-over, under the lock. */
  private final class Idle {
    final Condition woken = lock.newCondition();
    @Nullable Runnable task;
  }

  /** Hands the task to the most recently idle worker; false when none is idle. */
  @Override
  public boolean offer(Runnable task) {
    lock.lock();
    try {
      Idle worker = idle.pollFirst();
      if (worker == null) {
        return false;
      }
      worker.task = task;
      worker.woken.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** At the pool's cap: to an idle worker if one appeared meanwhile, else into the backlog. */
  void enqueue(Runnable task) {
    lock.lock();
    try {
      if (!offer(task)) {
        backlog.addLast(task);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public @Nullable Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
    return next(unit.toNanos(timeout), true);
  }

  @Override
  public Runnable take() throws InterruptedException {
    Runnable task = next(0, false);
    if (task == null) {
      throw new IllegalStateException("an untimed wait ended without a task");
    }
    return task;
  }

  private @Nullable Runnable next(long nanos, boolean timed) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      Runnable queued = backlog.pollFirst();
      if (queued != null) {
        return queued;
      }
      Idle me = new Idle();
      idle.addFirst(me);
      try {
        while (me.task == null && (!timed || nanos > 0)) {
          if (timed) {
            nanos = me.woken.awaitNanos(nanos);
          } else {
            me.woken.await();
          }
        }
      } catch (InterruptedException e) {
        if (me.task == null) {
          idle.remove(me);
          throw e;
        }
        // Handed a task as the interrupt came: run it (the pool clears the flag before running).
        Thread.currentThread().interrupt();
        return me.task;
      }
      if (me.task == null) {
        idle.remove(me);
      }
      return me.task;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void put(Runnable task) {
    enqueue(task);
  }

  @Override
  public boolean offer(Runnable task, long timeout, TimeUnit unit) {
    return offer(task);
  }

  @Override
  public @Nullable Runnable poll() {
    lock.lock();
    try {
      return backlog.pollFirst();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public @Nullable Runnable peek() {
    lock.lock();
    try {
      return backlog.peekFirst();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int size() {
    lock.lock();
    try {
      return backlog.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int remainingCapacity() {
    return Integer.MAX_VALUE;
  }

  @Override
  public boolean remove(Object o) {
    lock.lock();
    try {
      return backlog.remove(o);
    } finally {
      lock.unlock();
    }
  }

  /** A snapshot of the backlog. */
  @Override
  public Iterator<Runnable> iterator() {
    lock.lock();
    try {
      return new ArrayList<>(backlog).iterator();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int drainTo(Collection<? super Runnable> c) {
    return drainTo(c, Integer.MAX_VALUE);
  }

  @Override
  public int drainTo(Collection<? super Runnable> c, int maxElements) {
    lock.lock();
    try {
      int n = 0;
      while (n < maxElements && !backlog.isEmpty()) {
        c.add(backlog.pollFirst());
        n++;
      }
      return n;
    } finally {
      lock.unlock();
    }
  }
}
