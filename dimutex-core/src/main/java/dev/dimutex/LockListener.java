package dev.dimutex;

import java.time.Duration;

/**
 * Receives a registry's lock events, for metrics, health and logging. Every method has an empty
 * default. Methods are called on the registry's own threads and must return quickly and not throw;
 * an exception thrown by a listener is logged and otherwise ignored.
 */
public interface LockListener {

  /**
   * A lease was acquired.
   *
   * @param lease the new lease
   * @param waited how long the caller waited, from the first attempt to success
   */
  default void onAcquired(Lease lease, Duration waited) {}

  /**
   * A lease was released by its holder.
   *
   * @param lease the released lease
   * @param held how long it was held
   */
  default void onReleased(Lease lease, Duration held) {}

  /**
   * One refresh of a lease failed with a transient error and will be retried; the lease is still
   * healthy unless {@link #onLost} follows.
   *
   * @param lease the lease
   * @param cause what failed
   */
  default void onRefreshFailed(Lease lease, Throwable cause) {}

  /**
   * A lease turned unhealthy: it expired unrefreshed, or its lock object was deleted or replaced.
   * Called once per lease.
   *
   * @param lease the lost lease
   * @param cause why it is considered lost
   */
  default void onLost(Lease lease, LockLostException cause) {}

  /**
   * This registry took over a lock whose previous holder's lease was stale.
   *
   * @param lease the new lease
   * @param previousFencingToken the fencing token of the stale holder
   */
  default void onStaleTakeover(Lease lease, long previousFencingToken) {}
}
