package dev.dimutex;

import org.jspecify.annotations.Nullable;

/** Base of every exception dimutex throws. Unchecked. */
public class LockException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what went wrong, naming the lock
   * @param cause the underlying failure, if any
   */
  public LockException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates an exception without a cause.
   *
   * @param message what went wrong, naming the lock
   */
  public LockException(String message) {
    super(message);
  }
}
