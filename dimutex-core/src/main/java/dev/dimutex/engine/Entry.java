package dev.dimutex.engine;

import dev.dimutex.Lease;
import dev.dimutex.spi.ObjectVersion;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Local state of one lock name inside one registry. Fields marked "guarded" are accessed under the
 * entry's monitor; fields marked "driver" are used only by the one thread (or scheduled task)
 * currently driving remote attempts, handed over through the monitor.
 *
 * <p>Invariant: if nothing is held and waiters are queued, someone is driving.
 */
final class Entry {

  final String name;

  // guarded
  @Nullable LeaseImpl held;
  boolean driving;
  boolean retired;
  @Nullable ArrayDeque<Waiter> waiters;
  // reentrant Lock view, guarded
  @Nullable Thread viewOwner;
  int viewHolds;
  @Nullable LeaseImpl viewLease;

  // driver
  @Nullable String nonce;
  long firstCreateSendNanos;

  /** Send time of the earliest create of this nonce that may have applied unseen, or MIN_VALUE. */
  long unresolvedCreateSendNanos;

  @Nullable ObjectVersion observedVersion;
  long observedSinceNanos;
  long staleAtNanos;
  int attempt;
  int transientStreak;

  /** When an attempt last saw the lock held by someone else; valid once {@link #seenHeld}. */
  private volatile long seenHeldAtNanos;

  private volatile boolean seenHeld;

  void markSeenHeld(long nowNanos) {
    seenHeldAtNanos = nowNanos;
    seenHeld = true;
  }

  /** Whether an attempt saw the lock held at or after the given monotonic time. */
  boolean seenHeldSince(long startNanos) {
    return seenHeld && seenHeldAtNanos - startNanos >= 0;
  }

  volatile @Nullable Throwable lastTransient;

  Entry(String name) {
    this.name = name;
  }

  ArrayDeque<Waiter> waiters() {
    ArrayDeque<Waiter> w = waiters;
    if (w == null) {
      w = new ArrayDeque<>(4);
      waiters = w;
    }
    return w;
  }

  boolean hasWaiters() {
    return waiters != null && !waiters.isEmpty();
  }

  /** Drops waiters that timed out or were cancelled. */
  void purgeDoneWaiters() {
    if (waiters != null) {
      waiters.removeIf(w -> w.future.isDone());
    }
  }

  boolean idle() {
    return held == null && !driving && !hasWaiters() && viewOwner == null;
  }

  /** One local caller waiting for the lock. */
  static final class Waiter {
    final CompletableFuture<Lease> future = new CompletableFuture<>();
    final long startNanos;
    final long deadlineNanos;
    volatile @Nullable Future<?> timeoutTask;

    Waiter(long startNanos, long deadlineNanos) {
      this.startNanos = startNanos;
      this.deadlineNanos = deadlineNanos;
    }

    void cancelTimeout() {
      Future<?> t = timeoutTask;
      if (t != null) {
        t.cancel(false);
      }
    }
  }
}
