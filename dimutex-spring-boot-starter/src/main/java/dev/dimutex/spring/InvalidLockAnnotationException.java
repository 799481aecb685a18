package dev.dimutex.spring;

import java.util.List;

/**
 * One or more {@link DistributedLock} annotations are used in a way that cannot work. Thrown when
 * the application starts; the message names every offending method and says what is allowed.
 */
public class InvalidLockAnnotationException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /**
   * Creates an exception.
   *
   * @param problems one description per problem (a method may have several), each naming the method
   */
  public InvalidLockAnnotationException(List<String> problems) {
    super("Invalid @DistributedLock use:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /**
   * Returns the problems found, each naming its method.
   *
   * @return the problems
   */
  public List<String> problems() {
    return problems;
  }
}
