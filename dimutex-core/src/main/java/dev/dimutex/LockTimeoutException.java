package dev.dimutex;

import org.jspecify.annotations.Nullable;

/** The lock stayed held by someone else for the whole wait. */
public class LockTimeoutException extends LockException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what went wrong, naming the lock
   * @param cause the underlying failure, if any
   */
  public LockTimeoutException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates an exception without a cause.
   *
   * @param message what went wrong, naming the lock
   */
  public LockTimeoutException(String message) {
    super(message);
  }
}
