package dev.dimutex.chaos;

/** What became of a worker's conditional increment of the shared counter. */
public enum WriteOutcome {
  /** The increment was applied (confirmed by the response or by reading our nonce back). */
  ACCEPTED,
  /** The precondition failed: the counter had changed since we read it. Not applied. */
  REJECTED,
  /** The write failed without being applied (the counter still had the generation we read). */
  FAILED,
  /** No write was attempted (for example the counter could not be read). */
  NOT_ATTEMPTED,
  /**
   * The worker could not tell; the checker decides from the other sections (a later reader saw our
   * nonce) and the final counter.
   */
  UNKNOWN
}
