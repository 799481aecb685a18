package dev.dimutex.simulation;

/** The invariants the simulation checks; each violation names one. */
enum Invariant {
  /** At most one healthy lease per lock name (forced releases aside). */
  MUTUAL_EXCLUSION,
  /** A release or refresh never changes another owner's object. */
  FOREIGN_WRITE,
  /** Every acquisition future completes by its deadline plus the stated slack. */
  DEADLINE,
  /** After quiescence no lease, waiter or scheduled task is left. */
  QUIESCENCE,
  /** Each lease's listener events come in order, once each; hand-overs in order. */
  LISTENER_ORDER,
  /**
   * No acquisition future is completed inside the dependent action of another (no recursive
   * delivery: a release inside {@code thenAccept} must not serve the next waiter on the same
   * stack).
   */
  REENTRANT_DELIVERY,
  /** A release reports a lease lost only if someone else touched its object or it expired. */
  FALSE_LOST,
  /** The holder of a {@code asLock()} view can lock it again without waiting. */
  REENTRANT_LOCK,
  /** A crashed holder is taken over within the SEMANTICS.md bound by a polling waiter. */
  CRASH_RECOVERY,
  /** Every object left after quiescence can be reclaimed one TTL (at most a day) later. */
  RECLAIM,
  /** A call without injected faults stays within its request budget. */
  REQUEST_BUDGET,
  /** The API throws only {@code LockException}s; scheduled tasks do not throw. */
  EXCEPTION,
  /** The simulator itself failed (a bug of the simulator, not of the registry). */
  SIMULATOR
}
