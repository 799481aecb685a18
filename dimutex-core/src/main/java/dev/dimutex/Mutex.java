package dev.dimutex;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;

/**
 * One named distributed lock. Obtained from {@link LockRegistry#obtain(String)}; acquiring it
 * yields a {@link Lease}.
 *
 * <p>A mutex is not reentrant by itself: a second acquisition through the same registry waits for
 * the first lease to be released, whichever thread asks. Use {@link #asLock()} for a thread-bound,
 * reentrant view.
 */
public interface Mutex {

  /**
   * Returns the lock name, without the registry's prefix.
   *
   * @return the lock name
   */
  String name();

  /**
   * Makes one attempt to acquire the lock, including a takeover if the current holder's lease is
   * stale. Does not wait for a live holder.
   *
   * @return the lease, or empty if another holder has the lock
   * @throws LockConfigurationException if the store refuses access (missing bucket, permission)
   * @throws StoreUnavailableException if the store stays unavailable (429, 5xx, time-outs, I/O
   *     errors) through the registry's retries, so nobody can say whether the lock is held; the
   *     cause is the last store error
   */
  Optional<Lease> tryAcquire();

  /**
   * Tries to acquire the lock, waiting with capped exponential backoff while it is held by someone
   * else.
   *
   * @param waitAtMost how long to wait at most; zero means one attempt
   * @return the lease, or empty if the lock was still held when the wait ran out
   * @throws LockConfigurationException if the store refuses access (missing bucket, permission)
   * @throws StoreUnavailableException if the wait ran out without the lock having been seen held by
   *     anyone, because the store kept failing transiently (an outage, not contention); the cause
   *     is the last store error
   * @throws LockInterruptedException if the calling thread is interrupted while waiting; the
   *     thread's interrupt flag is set again
   */
  Optional<Lease> tryAcquire(Duration waitAtMost);

  /**
   * Acquires the lock, waiting at most the given time.
   *
   * @param waitAtMost how long to wait at most
   * @return the lease
   * @throws LockTimeoutException if the lock was still held when the wait ran out (it was seen held
   *     by someone else at least once during the wait)
   * @throws StoreUnavailableException if the wait ran out without the lock having been seen held by
   *     anyone, because the store kept failing transiently (429, 5xx, time-outs, I/O errors after
   *     the registry's own retries): an outage, not contention; the cause is the last store error
   * @throws LockConfigurationException if the store refuses access (missing bucket, permission)
   * @throws LockInterruptedException if the calling thread is interrupted while waiting
   */
  Lease acquire(Duration waitAtMost);

  /**
   * Acquires the lock without blocking a thread while waiting: attempts run on the registry's
   * scheduler.
   *
   * @param waitAtMost how long to wait at most
   * @return a future completed with the lease, or completed exceptionally with {@link
   *     LockTimeoutException} (held by someone else), {@link StoreUnavailableException} (the wait
   *     ended without the lock having been seen held, because the store kept failing transiently;
   *     the cause is the last store error) or another {@link LockException}. Cancelling the future,
   *     or completing it from outside (also through {@code orTimeout}), stops the attempts and
   *     leaves no waiter or timeout task behind; a lease acquired concurrently with the
   *     cancellation is released. Listeners hear {@code onAcquired} before the future completes.
   *     Dependent actions attached without an {@code ...Async} variant run on the registry's
   *     scheduler and must be short.
   */
  CompletableFuture<Lease> acquireAsync(Duration waitAtMost);

  /**
   * Asks the store whether the lock is currently held by anyone (including this process) and not
   * stale.
   *
   * @return whether a live holder exists
   * @throws LockException if the store cannot be read
   */
  boolean isLocked();

  /**
   * Operator action: removes the lock object whoever holds it, conditioned on the generation just
   * observed, so that a lock re-acquired in between is not removed. The previous holder's lease
   * turns unhealthy at its next refresh.
   *
   * @throws LockException if the store cannot be written
   */
  void forceRelease();

  /**
   * Returns a {@link Lock} view of this mutex that is bound to the acquiring thread and reentrant:
   * nested {@code lock()} calls by the holding thread count holds, and the remote lock is released
   * only when the count returns to zero. {@link Lock#newCondition()} is not supported.
   *
   * @return the lock view; the same instance on every call
   */
  Lock asLock();
}
