package dev.dimutex;

/**
 * A lock name breaks one of the store's object-name rules. The message names the lock, the rule
 * that failed and what is allowed.
 */
public class InvalidLockNameException extends LockException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message the rule that failed and what is allowed
   */
  public InvalidLockNameException(String message) {
    super(message);
  }
}
