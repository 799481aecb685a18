package dev.dimutex.chaos;

import java.util.List;

/**
 * The checker's verdict and figures.
 *
 * @param violations every property broken; empty means the run passed
 * @param sections how many critical sections were recorded
 * @param acceptedIncrements how many increments were applied
 * @param legalOverlaps overlaps where the earlier holder's lease had expired and its write was
 *     rejected
 * @param recoveryNanos for each crash or freeze of a holder, how long until another worker held the
 *     lock
 */
public record CheckResult(
    List<Violation> violations,
    int sections,
    long acceptedIncrements,
    int legalOverlaps,
    List<Long> recoveryNanos) {

  /**
   * Copies the lists.
   *
   * @param violations see the record description
   * @param sections see the record description
   * @param acceptedIncrements see the record description
   * @param legalOverlaps see the record description
   * @param recoveryNanos see the record description
   */
  public CheckResult {
    violations = List.copyOf(violations);
    recoveryNanos = List.copyOf(recoveryNanos);
  }

  /**
   * Tells whether the run passed.
   *
   * @return true if no property was broken
   */
  public boolean passed() {
    return violations.isEmpty();
  }
}
