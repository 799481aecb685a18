package dev.dimutex;

import org.jspecify.annotations.Nullable;

/**
 * Base of the exceptions for a lock that cannot be had, kept or named: timeouts, lost leases, a
 * store that refuses access or stays unavailable, invalid lock names, interrupted waits. Unchecked.
 *
 * <p>Misuse of the API is reported with the JDK's exceptions instead, as {@code
 * java.util.concurrent.locks} does: {@link IllegalArgumentException} (invalid builder values,
 * negative waits), {@link IllegalStateException} (a closed registry, a wait on the registry's own
 * threads), {@link UnsupportedOperationException} ({@code newCondition()}) and {@link
 * IllegalMonitorStateException} (unlocking a {@code Lock} view the thread does not hold).
 */
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
