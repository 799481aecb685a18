package dev.dimutex;

import org.jspecify.annotations.Nullable;

/**
 * The calling thread was interrupted while waiting for a lock; its interrupt flag has been set
 * again.
 */
public class LockInterruptedException extends LockException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what went wrong, naming the lock
   * @param cause the underlying failure, if any
   */
  public LockInterruptedException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates an exception without a cause.
   *
   * @param message what went wrong, naming the lock
   */
  public LockInterruptedException(String message) {
    super(message);
  }
}
