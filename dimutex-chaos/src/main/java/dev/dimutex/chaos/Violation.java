package dev.dimutex.chaos;

/**
 * One broken property.
 *
 * @param kind which property
 * @param message what was seen, naming the workers, tokens and times involved
 */
public record Violation(Kind kind, String message) {

  /** The properties the checker enforces. */
  public enum Kind {
    /** Two critical sections overlapped and the earlier one was not a fenced-off, expired lease. */
    OVERLAP,
    /** The final counter differs from the number of accepted increments. */
    COUNTER_MISMATCH,
    /** Two accepted increments read the same value (a lost update). */
    LOST_UPDATE,
    /** The lock of a crashed or frozen holder was not taken over within the stated bound. */
    SLOW_RECOVERY,
    /** A worker sent requests faster than the stated budget. */
    SPIN,
    /** A worker process died on its own or did not stop cleanly: the run proves less. */
    WORKER_FAILED
  }

  @Override
  public String toString() {
    return kind + ": " + message;
  }
}
