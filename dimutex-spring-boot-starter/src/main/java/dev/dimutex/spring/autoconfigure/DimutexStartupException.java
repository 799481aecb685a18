package dev.dimutex.spring.autoconfigure;

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
    super(description + " " + action);
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
