package dev.dimutex.sample;

import java.time.Instant;

/**
 * One stretch of work done while holding a lock, as recorded by the code that did it.
 *
 * @param lock the lock name
 * @param instance the instance that held it
 * @param fencingToken the lease's fencing token
 * @param startedAt when the work started (wall clock, for humans)
 * @param enterNanos {@link System#nanoTime()} when the work started, after the lock was acquired
 * @param exitNanos {@link System#nanoTime()} when the work ended, before the lock was released
 */
public record CriticalSection(
    String lock,
    String instance,
    long fencingToken,
    Instant startedAt,
    long enterNanos,
    long exitNanos) {

  /**
   * Tells whether this section and another overlapped in time. Meaningful only for sections
   * recorded in the same JVM, whose {@code nanoTime} values are comparable.
   *
   * @param other the other section
   * @return whether the two intervals intersect
   */
  public boolean overlaps(CriticalSection other) {
    return enterNanos < other.exitNanos && other.enterNanos < exitNanos;
  }
}
