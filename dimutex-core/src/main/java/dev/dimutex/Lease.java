package dev.dimutex;

import java.time.Instant;

/**
 * Proof of holding a {@link Mutex}, refreshed automatically until released.
 *
 * <p>A lease is not bound to a thread: it may be refreshed, checked and released from any thread.
 * Once ownership may have been lost (a refresh failed for too long, or another client took the lock
 * over), the lease is unhealthy for good.
 */
public interface Lease extends AutoCloseable {

  /**
   * Returns the lock name, without the registry's prefix.
   *
   * @return the lock name
   */
  String name();

  /**
   * Returns a token identifying this acquisition, to be passed to the resources the lock protects
   * so that they can reject writes from an earlier holder.
   *
   * <p>For the GCS store it is the generation of the lock object that this acquisition created. GCS
   * guarantees generations to be unique per object name, so two acquisitions of the same lock never
   * share a token (a hand-over between threads of one registry also creates a new generation); it
   * documents them as unique, not as increasing. In practice they are microsecond timestamps and
   * increase, but a resource that wants a strictly monotonic token must compare for inequality with
   * the last token it accepted, or rely on the undocumented ordering at its own risk.
   *
   * @return the fencing token
   */
  long fencingToken();

  /**
   * Returns when this lease was acquired, by the registry's clock.
   *
   * @return the acquisition time
   */
  Instant acquiredAt();

  /**
   * Tells whether this process still holds the lock: false once ownership may have been lost.
   * Cheap; makes no remote call.
   *
   * @return whether the lease is healthy
   */
  boolean isHealthy();

  /**
   * Throws if the lease is no longer healthy. Long jobs call this between steps.
   *
   * @throws LockLostException if ownership may have been lost; the data the lock protected may have
   *     been touched by another holder
   */
  void checkHealthy();

  /**
   * Extends the lease now, in addition to the automatic refresh.
   *
   * @throws LockLostException if the lock object changed under us or the lease was already lost or
   *     released
   * @throws LockException if the store stays unavailable through the retries
   */
  void refresh();

  /**
   * Releases the lock with a conditional delete of the object this acquisition created (or, when
   * another caller of the same registry is waiting, by handing it over with one conditional write
   * that gives the successor a new object generation). Calling it again after a release does
   * nothing. A lease that expired unrefreshed but whose object nobody touched is released normally.
   *
   * @throws LockLostException if the lease had been lost before the release (the object had been
   *     deleted or replaced); the successor's lock is left intact
   * @throws LockException if the store stays unavailable; the lease then expires after its TTL
   */
  void release();

  /**
   * Releases the lock like {@link #release()}; calling it again after a release does nothing.
   *
   * @throws LockLostException if the lease had been lost before the first release
   */
  @Override
  void close();
}
