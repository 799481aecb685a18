package dev.dimutex.emulator;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** Selects requests for fault rules and request-log counts. */
@FunctionalInterface
public interface RequestMatcher {

  /**
   * Tells whether a request is selected.
   *
   * @param request the request
   * @return {@code true} if selected
   */
  boolean matches(RequestInfo request);

  /**
   * Matches every request except those to the admin API.
   *
   * @return the matcher
   */
  static RequestMatcher any() {
    return new DescribedMatcher(r -> r.operation() != Operation.ADMIN, "any");
  }

  /**
   * Matches requests of the given operations.
   *
   * @param operations the operations (at least one)
   * @return the matcher
   * @throws IllegalArgumentException if no operation is given
   */
  static RequestMatcher operation(Operation... operations) {
    if (operations.length == 0) {
      throw new IllegalArgumentException("operation(...) needs at least one operation");
    }
    Set<Operation> set = EnumSet.copyOf(Arrays.asList(operations));
    return new DescribedMatcher(r -> set.contains(r.operation()), "operation" + set);
  }

  /**
   * Matches inserts, patches, updates and deletes of objects.
   *
   * @return the matcher
   * @see Operation#isObjectMutation()
   */
  static RequestMatcher objectMutations() {
    return new DescribedMatcher(r -> r.operation().isObjectMutation(), "objectMutations");
  }

  /**
   * Matches every request that addresses one object (any operation on it).
   *
   * @param bucket the bucket name
   * @param name the decoded object name
   * @return the matcher
   */
  static RequestMatcher object(String bucket, String name) {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(name, "name");
    return new DescribedMatcher(
        r -> bucket.equals(r.bucket()) && name.equals(r.object()),
        "object(" + bucket + ", " + name + ")");
  }

  /**
   * Matches requests that both matchers select.
   *
   * @param other the other matcher
   * @return the combined matcher
   */
  default RequestMatcher and(RequestMatcher other) {
    Objects.requireNonNull(other, "other");
    RequestMatcher self = this;
    return new DescribedMatcher(r -> self.matches(r) && other.matches(r), self + " and " + other);
  }
}
