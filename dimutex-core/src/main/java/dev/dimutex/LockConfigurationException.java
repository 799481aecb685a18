package dev.dimutex;

import org.jspecify.annotations.Nullable;

/**
 * The store refused access for a reason that waiting will not cure: a missing bucket, missing
 * permissions or invalid credentials. Never retried as if the lock were busy.
 */
public class LockConfigurationException extends LockException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what went wrong, naming the lock
   * @param cause the underlying failure, if any
   */
  public LockConfigurationException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates an exception without a cause.
   *
   * @param message what went wrong, naming the lock
   */
  public LockConfigurationException(String message) {
    super(message);
  }
}
