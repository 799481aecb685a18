package dev.dimutex.engine;

import dev.dimutex.Lease;
import dev.dimutex.LeaseInfo;
import dev.dimutex.LockLostException;
import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.ObjectVersion;
import dev.dimutex.spi.StoredLock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * One acquisition. Remote state changes (refresh, release) are serialised on the lease's monitor;
 * health and the lost transition never take it, so {@link #isHealthy()} never waits for a request
 * in flight.
 */
final class LeaseImpl implements Lease {

  static final int ACTIVE = 0;
  static final int LOST = 1;
  static final int RELEASED = 2;
  static final long NONE = Long.MIN_VALUE;

  final StoreLockRegistry registry;
  final Entry entry;
  final String nonce;
  final long generation;
  final Instant acquiredAt;
  final long acquiredNanos;

  // guarded by this
  ObjectVersion version;
  LockRecord record;
  volatile Instant confirmedAt;
  int refreshFailures;

  /** Send time of the earliest refresh whose outcome is still unknown, or NONE. */
  long unresolvedWriteSendNanos = NONE;

  /** A local hand-over whose outcome is unknown (it may still land), or null. */
  @Nullable PendingHandOver pendingHandOver;

  /** What a release needs to recognise, and deliver, a hand-over of ours that landed late. */
  record PendingHandOver(String nonce, LockRecord record, long sendNanos) {}

  /** Failures are counted up to this, which is far beyond any backoff cap. */
  private static final int MAX_COUNTED_FAILURES = 64;

  /** Whether the listeners were told of this lease's loss (at most once). */
  private volatile int lossReported;

  volatile @Nullable ScheduledFuture<?> refreshTask;

  volatile int state = ACTIVE;

  private static final VarHandle STATE;
  private static final VarHandle LOSS_REPORTED;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(LeaseImpl.class, "state", int.class);
      LOSS_REPORTED =
          MethodHandles.lookup().findVarHandle(LeaseImpl.class, "lossReported", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Counts one more refresh failure in a row.
   *
   * @return how many came before this one, capped so that backoff arithmetic stays cheap
   */
  synchronized int countRefreshFailure() {
    int before = refreshFailures;
    if (before < MAX_COUNTED_FAILURES) {
      refreshFailures = before + 1;
    }
    return before;
  }

  /** Returns true exactly once: the caller then tells the listeners of the loss. */
  boolean claimLossReport() {
    return LOSS_REPORTED.compareAndSet(this, 0, 1);
  }

  boolean casState(int expected, int update) {
    return STATE.compareAndSet(this, expected, update);
  }

  int getAndSetState(int update) {
    return (int) STATE.getAndSet(this, update);
  }

  /** Monotonic deadline after which another client could legally take the lock over. */
  volatile long healthyUntilNanos;

  volatile @Nullable LockLostException lostCause;

  /** True when the loss was confirmed by the store (object changed), not just by time. */
  volatile boolean lostConfirmed;

  LeaseImpl(
      StoreLockRegistry registry,
      Entry entry,
      StoredLock stored,
      LockRecord record,
      long confirmedSendNanos,
      Instant acquiredAt) {
    this.registry = registry;
    this.entry = entry;
    this.nonce = record.nonce();
    this.generation = stored.version().generation();
    this.version = stored.version();
    this.record = record;
    this.acquiredAt = acquiredAt;
    this.confirmedAt = acquiredAt;
    this.acquiredNanos = confirmedSendNanos;
    this.healthyUntilNanos = registry.healthyUntil(confirmedSendNanos);
  }

  @Override
  public String name() {
    return entry.name;
  }

  @Override
  public long fencingToken() {
    return generation;
  }

  @Override
  public Instant acquiredAt() {
    return acquiredAt;
  }

  @Override
  public boolean isHealthy() {
    int s = state;
    if (s != ACTIVE) {
      return false;
    }
    if (registry.nanoTime() - healthyUntilNanos < 0) {
      return true;
    }
    registry.markLost(this, registry.expiredException(this), false);
    return false;
  }

  @Override
  public void checkHealthy() {
    if (isHealthy()) {
      return;
    }
    if (state == RELEASED && lostCause == null) {
      throw new LockLostException(
          "lease on lock '" + name() + "' was released; it no longer protects anything");
    }
    LockLostException cause = lostCause;
    throw new LockLostException(
        cause != null ? cause.getMessage() : registry.expiredException(this).getMessage(), cause);
  }

  @Override
  public void refresh() {
    registry.manualRefresh(this);
  }

  @Override
  public void release() {
    registry.release(this);
  }

  @Override
  public void close() {
    release();
  }

  LeaseInfo info() {
    return new LeaseInfo(name(), generation, acquiredAt, confirmedAt, isHealthy());
  }

  @Override
  public String toString() {
    return "Lease[" + name() + ", token " + generation + "]";
  }
}
