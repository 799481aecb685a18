package dev.dimutex.engine;

import dev.dimutex.spi.ObjectVersion;
import org.jspecify.annotations.Nullable;

/**
 * What the caller driving remote attempts for one lock name remembers between attempts: the
 * acquisition's nonce and sends, the version observed (for staleness rule 1), the backoff step, and
 * what the wait saw (for telling an outage from contention). Used only by the one driver at a time
 * (handed over through the slot's phase); the fields read by timing-out waiters are volatile.
 */
final class AttemptState {

  static final long NONE = Long.MIN_VALUE;

  @Nullable String nonce;
  long firstCreateSendNanos = NONE;

  /** Send time of the earliest create of this nonce that may have applied unseen, or NONE. */
  long unresolvedCreateSendNanos = NONE;

  @Nullable ObjectVersion observedVersion;
  long observedSinceNanos;
  long staleAtNanos;
  int backoffStep;
  int transientStreak;
  volatile @Nullable Throwable lastTransient;

  /** When an attempt last saw the lock held by someone else, or NONE. */
  private volatile long seenHeldAtNanos = NONE;

  /** Starts a new acquisition (a new nonce) if none is under way. */
  String nonce(String fresh) {
    if (nonce == null) {
      nonce = fresh;
      firstCreateSendNanos = NONE;
      unresolvedCreateSendNanos = NONE;
    }
    return nonce;
  }

  /** The acquisition succeeded: the next one starts afresh. */
  void acquired() {
    nonce = null;
    observedVersion = null;
    backoffStep = 0;
  }

  /**
   * The send time a lease found by its nonce is counted from: the earliest create of that nonce
   * that may have applied unseen (never a create that was refused, such as the first attempt on a
   * lock that was then held, which would make a takeover resolved by reading back look expired),
   * or, failing any, the very first create of the nonce.
   */
  long createdSince() {
    return unresolvedCreateSendNanos != NONE ? unresolvedCreateSendNanos : firstCreateSendNanos;
  }

  void succeeded(boolean sawHolder, long nowNanos) {
    transientStreak = 0;
    lastTransient = null;
    if (sawHolder) {
      seenHeldAtNanos = nowNanos;
    }
  }

  int failedTransiently(Throwable cause) {
    lastTransient = cause;
    return ++transientStreak;
  }

  /** Whether an attempt saw the lock held at or after the given monotonic time. */
  boolean seenHeldSince(long startNanos) {
    long at = seenHeldAtNanos;
    return at != NONE && at - startNanos >= 0;
  }

  /** The next backoff step (capped, so the arithmetic stays cheap). */
  int nextBackoffStep() {
    int a = backoffStep;
    if (a < 30) {
      backoffStep = a + 1;
    }
    return a;
  }
}
