package dev.dimutex.simulation;

/**
 * Deliberate breakages of the simulated world, used only to show that each invariant check can fail
 * ("the checker catches X" tests). A normal run has none.
 */
enum Breakage {
  /** The store applies every conditional write as if its precondition held. */
  IGNORE_PRECONDITIONS,
  /**
   * Someone keeps refreshing every object behind the registries' backs: nothing ever goes stale.
   */
  ZOMBIE_REFRESHER,
  /** The store client reads the object before every mutation: one request more per write. */
  CHATTY_CLIENT,
  /** The lock view is not reentrant: a second lock by its holder is a fresh one-shot attempt. */
  NON_REENTRANT_VIEW,
  /** The schedulers never forget a cancelled task. */
  LEAKY_SCHEDULER,
  /**
   * The recording listener receives each {@code acquired} event only after the lease's next one.
   */
  LATE_ACQUIRED_EVENTS,
  /** The schedulers silently drop every task that is not due at once. */
  LOSSY_SCHEDULER
}
