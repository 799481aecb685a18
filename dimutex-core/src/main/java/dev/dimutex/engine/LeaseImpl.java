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
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One acquisition. The lease owns its state and every transition of it; collaborators call these
 * methods and never assign its fields.
 *
 * <p>State: {@code ACTIVE} until it is lost ({@code ACTIVE → LOST}, once, by {@link #turnLost}) or
 * released ({@code ACTIVE|LOST → RELEASED}, once, by {@link #turnReleased}). Remote changes
 * (refresh, release) are serialised on the lease's monitor, which is never held while listeners are
 * called; health and the lost transition never take it, so {@link #isHealthy()} never waits for a
 * request in flight.
 */
final class LeaseImpl implements Lease {

  enum State {
    ACTIVE,
    LOST,
    RELEASED
  }

  static final long NONE = Long.MIN_VALUE;

  /** Failures are counted up to this, which is far beyond any backoff cap. */
  private static final int MAX_COUNTED_FAILURES = 64;

  /** What a release needs to recognise, and deliver, a hand-over of ours that landed late. */
  record PendingHandOver(String nonce, LockRecord record, long sendNanos) {}

  private final Engine engine;
  final Slot slot;

  /**
   * Serialises this lease's writes (refresh, release). A {@link ReentrantLock}, not a monitor: it
   * is held across the store call that it serialises, and a monitor held across blocking I/O would
   * pin a virtual thread to its carrier. Never held while listeners are called or futures
   * completed.
   */
  final ReentrantLock writes = new ReentrantLock();

  final String nonce;
  final long generation;
  final Instant acquiredAt;
  final long acquiredNanos;

  // guarded by writes
  private ObjectVersion version;
  private LockRecord record;
  private int refreshFailures;
  private long unresolvedWriteSendNanos = NONE;
  private @Nullable PendingHandOver pendingHandOver;

  private volatile Instant confirmedAt;
  private volatile @Nullable ScheduledFuture<?> refreshTask;
  private volatile State state = State.ACTIVE;

  /** Monotonic deadline after which another client could legally take the lock over. */
  private volatile long healthyUntilNanos;

  private volatile @Nullable LockLostException lostCause;

  /** True when the loss was confirmed by the store (object changed), not just by time. */
  private volatile boolean lostConfirmed;

  /** Whether the listeners were told of this lease's loss (at most once). */
  private volatile int lossReported;

  private static final VarHandle STATE;
  private static final VarHandle LOSS_REPORTED;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      STATE = l.findVarHandle(LeaseImpl.class, "state", State.class);
      LOSS_REPORTED = l.findVarHandle(LeaseImpl.class, "lossReported", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  LeaseImpl(
      Engine engine,
      Slot slot,
      StoredLock stored,
      LockRecord record,
      long confirmedSendNanos,
      Instant acquiredAt) {
    this.engine = engine;
    this.slot = slot;
    this.nonce = record.nonce();
    this.generation = stored.version().generation();
    this.version = stored.version();
    this.record = record;
    this.acquiredAt = acquiredAt;
    this.confirmedAt = acquiredAt;
    this.acquiredNanos = confirmedSendNanos;
    this.healthyUntilNanos = engine.healthyUntil(confirmedSendNanos);
  }

  // ---------------------------------------------------------------- transitions

  /** ACTIVE → LOST; returns false if it was not active. */
  boolean turnLost(LockLostException cause, boolean confirmed) {
    if (!STATE.compareAndSet(this, State.ACTIVE, State.LOST)) {
      return false;
    }
    lostConfirmed = confirmed;
    lostCause = cause;
    cancelRefresh();
    return true;
  }

  /** → RELEASED; returns the state before, or null if it had been released already. */
  @Nullable State turnReleased() {
    State prior = (State) STATE.getAndSet(this, State.RELEASED);
    if (prior == State.RELEASED) {
      return null;
    }
    cancelRefresh();
    return prior;
  }

  /**
   * Records a write the store confirmed, sent at {@code sendNanos}. Caller holds {@link #writes}.
   */
  void confirm(StoredLock stored, LockRecord written, long sendNanos, Instant at) {
    version = stored.version();
    record = written;
    confirmedAt = at;
    refreshFailures = 0;
    unresolvedWriteSendNanos = NONE;
    healthyUntilNanos = Math.max(healthyUntilNanos, engine.healthyUntil(sendNanos));
  }

  /**
   * Notes a refresh with an unknown outcome; the earliest such send counts. Caller holds {@link
   * #writes}.
   */
  void noteUnresolvedWrite(long sendNanos) {
    if (unresolvedWriteSendNanos == NONE) {
      unresolvedWriteSendNanos = sendNanos;
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

  /** Remembers a hand-over whose outcome is unknown. Caller holds {@link #writes}. */
  void rememberHandOver(@Nullable PendingHandOver pending) {
    pendingHandOver = pending;
  }

  /** Returns true exactly once: the caller then tells the listeners of the loss. */
  boolean claimLossReport() {
    return LOSS_REPORTED.compareAndSet(this, 0, 1);
  }

  /** Records the loss found by a release, unless an earlier one is known. */
  void noteLoss(LockLostException cause) {
    if (lostCause == null) {
      lostCause = cause;
    }
  }

  void refreshTask(ScheduledFuture<?> task) {
    refreshTask = task;
    if (state != State.ACTIVE) {
      task.cancel(false);
    }
  }

  private void cancelRefresh() {
    ScheduledFuture<?> task = refreshTask;
    if (task != null) {
      task.cancel(false);
    }
  }

  // ---------------------------------------------------------------- reads

  State state() {
    return state;
  }

  ObjectVersion version() {
    return version;
  }

  LockRecord record() {
    return record;
  }

  long unresolvedWriteSendNanos() {
    return unresolvedWriteSendNanos;
  }

  @Nullable PendingHandOver pendingHandOver() {
    return pendingHandOver;
  }

  long healthyUntilNanos() {
    return healthyUntilNanos;
  }

  boolean lostConfirmed() {
    return lostConfirmed;
  }

  @Nullable LockLostException lostCause() {
    return lostCause;
  }

  // ---------------------------------------------------------------- Lease

  @Override
  public String name() {
    return slot.name;
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
    if (state != State.ACTIVE) {
      return false;
    }
    if (engine.nanoTime() - healthyUntilNanos < 0) {
      return true;
    }
    engine.refresher.markLost(this, engine.messages.expired(this), false);
    return false;
  }

  @Override
  public void checkHealthy() {
    if (isHealthy()) {
      return;
    }
    LockLostException cause = lostCause;
    if (state == State.RELEASED && cause == null) {
      throw Messages.released(name());
    }
    throw new LockLostException(
        cause != null ? cause.getMessage() : engine.messages.expired(this).getMessage(), cause);
  }

  @Override
  public void refresh() {
    engine.refresher.manualRefresh(this);
  }

  @Override
  public void release() {
    engine.releaser.release(this);
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
