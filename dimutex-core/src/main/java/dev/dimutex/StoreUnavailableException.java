package dev.dimutex;

import org.jspecify.annotations.Nullable;

/**
 * The store could not be reached for the whole wait, so nobody can say whether the lock is held.
 *
 * <p>This is an outage, not contention: a {@link LockTimeoutException} means that someone else was
 * seen holding the lock, this exception means that every attempt failed with a transient store
 * error (429, 5xx, a timeout or an I/O error) after the registry's own retries. The last such error
 * is the cause.
 */
public class StoreUnavailableException extends LockException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what went wrong, naming the lock and the store
   * @param cause the last store error seen
   */
  public StoreUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
