package dev.dimutex.emulator;

import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One request as received: method (after {@code X-HTTP-Method-Override}), raw path, decoded query,
 * headers and body. {@code error} is set when the request could not be parsed (bad query escapes,
 * unreadable or oversized body); such a request is answered with that error and applies nothing.
 */
record Request(
    String method,
    String rawPath,
    Map<String, String> query,
    Map<String, String> headers,
    byte[] body,
    @Nullable GcsException error) {

  Request {
    query = Map.copyOf(query);
    TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(headers);
    headers = java.util.Collections.unmodifiableMap(h);
  }

  /** The first value of a header (case-insensitive), or {@code null}. */
  @Nullable String header(String name) {
    return headers.get(name);
  }

  /** The value of a query parameter, or {@code null}. */
  @Nullable String param(String name) {
    return query.get(name);
  }

  /** The body as a JSON object; 400 {@code invalid} if it is not one. */
  Map<String, @Nullable Object> jsonBody() {
    return jsonObject(body);
  }

  static Map<String, @Nullable Object> jsonObject(byte[] bytes) {
    try {
      return Json.parseObject(Urls.utf8(bytes));
    } catch (Json.ParseException e) {
      throw GcsException.invalid("Invalid JSON in the request body: " + e.getMessage());
    }
  }
}
