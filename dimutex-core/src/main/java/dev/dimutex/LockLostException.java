package dev.dimutex;

import org.jspecify.annotations.Nullable;

/**
 * Ownership of a lease may have been lost: the lock object was deleted or replaced, or it could not
 * be refreshed in time. The data that the lock protected may have been touched by another holder.
 */
public class LockLostException extends LockException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what went wrong, naming the lock
   * @param cause the underlying failure, if any
   */
  public LockLostException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates an exception without a cause.
   *
   * @param message what went wrong, naming the lock
   */
  public LockLostException(String message) {
    super(message);
  }
}
