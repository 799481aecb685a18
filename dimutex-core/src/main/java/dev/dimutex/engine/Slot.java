package dev.dimutex.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Local state of one lock name inside one registry: its phase, the lease that holds it, and the
 * local callers queued for it. The methods below are the only transitions; each runs under the
 * slot's lock, which is never held across store I/O, listener calls or future completions.
 *
 * <p>Phases: {@code IDLE} (nobody holds or drives) → {@code DRIVING} (one caller talks to the store
 * for everyone queued) → {@code HELD} (a lease of this registry holds the lock) → back; and {@code
 * IDLE → RETIRED}, after which the slot is out of the table and a fresh one is made. Invariant: if
 * nothing is held and callers are queued, the phase is {@code DRIVING}.
 */
final class Slot {

  enum Phase {
    IDLE,
    DRIVING,
    HELD,
    RETIRED
  }

  /** What a caller joining the slot should do. */
  enum Join {
    /** The slot was retired: take a fresh one from the table. */
    RETRY,
    /** The caller drives: it makes the remote attempts. */
    DRIVE,
    /** The caller was queued behind a holder or a driver. */
    QUEUED,
    /** Someone here holds or drives, and the caller would not queue. */
    BUSY
  }

  final String name;

  /** The driver's own state; used only by whoever is driving, handed over through the phase. */
  final AttemptState attempt = new AttemptState();

  private final ReentrantLock lock = new ReentrantLock();
  private Phase phase = Phase.IDLE;
  private @Nullable LeaseImpl held;
  private @Nullable ArrayDeque<Waiter> waiters;
  private @Nullable Thread viewOwner;
  private int viewHolds;
  private @Nullable LeaseImpl viewLease;

  Slot(String name) {
    this.name = name;
  }

  /**
   * Joins as a driver if nobody holds, drives or waits; otherwise queues {@code w} if {@code
   * mayQueue}. An asynchronous driver also queues itself ({@code queueDriver}), to be served by the
   * driving task.
   */
  Join join(Waiter w, boolean mayQueue, boolean queueDriver) {
    lock.lock();
    try {
      if (phase == Phase.RETIRED) {
        return Join.RETRY;
      }
      if (phase == Phase.IDLE && !hasWaiters()) {
        phase = Phase.DRIVING;
        if (queueDriver) {
          waiters().addLast(w);
        }
        return Join.DRIVE;
      }
      if (!mayQueue) {
        return Join.BUSY;
      }
      waiters().addLast(w);
      return Join.QUEUED;
    } finally {
      lock.unlock();
    }
  }

  /** A synchronous driver whose attempt failed goes back to the head of the queue. */
  void requeueDriver(Waiter w) {
    locked(() -> waiters().addFirst(w));
  }

  /** The driver acquired the lock for itself: DRIVING → HELD. */
  void hold(LeaseImpl lease) {
    locked(
        () -> {
          held = lease;
          phase = Phase.HELD;
        });
  }

  /**
   * The lease now holds the slot (DRIVING or HELD → HELD); returns the first caller still waiting,
   * taken out of the queue, or null if none is left.
   */
  @Nullable Waiter handTo(LeaseImpl lease) {
    lock.lock();
    try {
      held = lease;
      phase = Phase.HELD;
      purgeDone();
      return waiters == null ? null : waiters.pollFirst();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Clears the slot if this lease still holds it. Returns true if queued callers are left and the
   * caller must now drive for them (HELD → DRIVING), false otherwise (HELD → IDLE, or not held by
   * this lease at all).
   */
  boolean free(LeaseImpl lease) {
    lock.lock();
    try {
      if (held != lease) {
        return false;
      }
      held = null;
      purgeDone();
      phase = hasWaiters() ? Phase.DRIVING : Phase.IDLE;
      return phase == Phase.DRIVING;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The driver looks at its queue: returns true if callers still wait (stay DRIVING), false if none
   * does (DRIVING → IDLE).
   */
  boolean keepDriving() {
    return get(
        () -> {
          purgeDone();
          if (phase == Phase.DRIVING && !hasWaiters()) {
            phase = Phase.IDLE;
          }
          return phase == Phase.DRIVING;
        });
  }

  /** Takes every queued caller out (they are about to be failed); a driver stops. */
  List<Waiter> drain() {
    lock.lock();
    try {
      List<Waiter> out = waiters == null ? List.of() : new ArrayList<>(waiters);
      if (waiters != null) {
        waiters.clear();
      }
      if (phase == Phase.DRIVING) {
        phase = Phase.IDLE;
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  void remove(Waiter w) {
    locked(
        () -> {
          if (waiters != null) {
            waiters.remove(w);
          }
        });
  }

  /** IDLE with nobody queued and no lock view held → RETIRED; returns whether it retired. */
  boolean tryRetire() {
    return get(
        () -> {
          if (phase == Phase.IDLE && !hasWaiters() && viewOwner == null) {
            phase = Phase.RETIRED;
          }
          return phase == Phase.RETIRED;
        });
  }

  boolean isRetired() {
    return get(() -> phase == Phase.RETIRED);
  }

  @Nullable LeaseImpl held() {
    return get(() -> held);
  }

  boolean hasLiveWaiter() {
    return get(
        () -> {
          purgeDone();
          return hasWaiters();
        });
  }

  int queued() {
    return get(() -> waiters == null ? 0 : waiters.size());
  }

  /** Waiters whose deadline has passed. */
  List<Waiter> expired(long nowNanos) {
    lock.lock();
    try {
      List<Waiter> out = new ArrayList<>();
      if (waiters != null) {
        for (Waiter w : waiters) {
          if (nowNanos - w.deadlineNanos >= 0) {
            out.add(w);
          }
        }
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- the reentrant Lock view

  /** Counts one more hold if the thread holds the view already. */
  boolean reenterView(Thread t) {
    return get(() -> viewOwner == t && ++viewHolds > 0);
  }

  /** Returns false if the slot retired meanwhile (take a fresh one). */
  boolean adoptView(Thread t, LeaseImpl lease) {
    lock.lock();
    try {
      if (phase == Phase.RETIRED) {
        return false;
      }
      viewOwner = t;
      viewHolds = 1;
      viewLease = lease;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Counts one hold less; returns the lease to release at zero, null if still held. */
  @Nullable LeaseImpl exitView(Thread t) {
    lock.lock();
    try {
      if (viewOwner != t) {
        throw Messages.notHeldByThread(name, t);
      }
      if (--viewHolds > 0) {
        return null;
      }
      LeaseImpl l = viewLease;
      viewOwner = null;
      viewLease = null;
      return l;
    } finally {
      lock.unlock();
    }
  }

  private void locked(Runnable body) {
    lock.lock();
    try {
      body.run();
    } finally {
      lock.unlock();
    }
  }

  private <T> T get(Supplier<T> body) {
    lock.lock();
    try {
      return body.get();
    } finally {
      lock.unlock();
    }
  }

  private ArrayDeque<Waiter> waiters() {
    ArrayDeque<Waiter> w = waiters;
    if (w == null) {
      w = new ArrayDeque<>(4);
      waiters = w;
    }
    return w;
  }

  private boolean hasWaiters() {
    return waiters != null && !waiters.isEmpty();
  }

  private void purgeDone() {
    if (waiters != null) {
      waiters.removeIf(w -> w.future.isDone());
    }
  }
}
