package dev.dimutex.emulator;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the emulator understood of one request, before handling it.
 *
 * @param method the HTTP method (after {@code X-HTTP-Method-Override})
 * @param path the raw request path, as sent (percent-encoded)
 * @param query the decoded query parameters (the first value of each name)
 * @param operation the classified operation
 * @param bucket the bucket the request addresses, or {@code null}
 * @param object the decoded object name the request addresses, or {@code null}
 */
public record RequestInfo(
    String method,
    String path,
    Map<String, String> query,
    Operation operation,
    @Nullable String bucket,
    @Nullable String object) {

  /**
   * Validates and copies the query map.
   *
   * @param method the HTTP method
   * @param path the raw path
   * @param query the decoded query parameters
   * @param operation the operation
   * @param bucket the bucket or {@code null}
   * @param object the object name or {@code null}
   * @throws NullPointerException if a non-nullable component is {@code null}
   */
  public RequestInfo {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    query = Map.copyOf(query);
    Objects.requireNonNull(operation, "operation");
  }
}
