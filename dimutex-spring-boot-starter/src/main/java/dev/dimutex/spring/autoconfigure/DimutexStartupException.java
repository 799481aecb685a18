package dev.dimutex.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * dimutex cannot start with the application's configuration: a required property is missing or
 * invalid, or no Google Cloud Storage client is available. Carries a description and an action that
 * the failure analyzer prints.
 */
public class DimutexStartupException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final String description;
  private final String action;

  /**
   * Creates an exception.
   *
   * @param description what is wrong, naming the property or bean
   * @param action what to do about it
   */
  public DimutexStartupException(String description, String action) {
    this(description, action, null);
  }

  /**
   * Creates an exception with a cause.
   *
   * @param description what is wrong, naming the property or bean
   * @param action what to do about it
   * @param cause what failed, or null
   */
  public DimutexStartupException(String description, String action, @Nullable Throwable cause) {
    super(description + " " + action, cause);
    this.description = description;
    this.action = action;
  }

  /**
   * Returns what is wrong.
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /**
   * Returns what to do about it.
   *
   * @return the action
   */
  public String action() {
    return action;
  }
}
