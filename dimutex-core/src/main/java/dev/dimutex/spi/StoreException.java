package dev.dimutex.spi;

import org.jspecify.annotations.Nullable;

/**
 * A store call failed for a reason other than a failed precondition. The {@link Kind} tells the
 * lock algorithm whether to retry.
 */
public class StoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** How the lock algorithm treats a failure. */
  public enum Kind {
    /**
     * Worth retrying: rate limits (429), server errors (5xx), timeouts, connection failures, 408
     * and 409. For a mutation the outcome is unknown: the request may have been applied.
     */
    TRANSIENT,
    /**
     * Waiting will not help: missing bucket, missing permission, invalid credentials (401, 403, 404
     * for the bucket). Never retried, never reported as "lock busy".
     */
    CONFIGURATION,
    /** Any other refusal (for example 400); not retried. */
    FATAL
  }

  private final Kind kind;
  private final int status;

  /**
   * Creates an exception.
   *
   * @param kind how the algorithm should treat the failure
   * @param status the HTTP status, or 0 if there was no response
   * @param message what failed, naming the store location
   * @param cause the underlying failure, if any
   */
  public StoreException(Kind kind, int status, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.status = status;
  }

  /**
   * Returns how the lock algorithm treats this failure.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns the HTTP status of the failed call.
   *
   * @return the status, or 0 if no response was received
   */
  public int status() {
    return status;
  }
}
