package dev.dimutex.emulator;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An HTTP answer, built before it is sent (or dropped). */
final class Response {
  static final String JSON = "application/json; charset=UTF-8";

  final int status;
  final Map<String, String> headers = new LinkedHashMap<>();
  final byte[] body;

  Response(int status, @Nullable String contentType, byte[] body) {
    this.status = status;
    this.body = body;
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
  }

  static Response json(int status, @Nullable Object value) {
    return new Response(status, JSON, Json.write(value).getBytes(StandardCharsets.UTF_8));
  }

  static Response empty(int status) {
    return new Response(status, null, new byte[0]);
  }

  static Response error(GcsException e) {
    if (e.status == 304) {
      return empty(304);
    }
    return new Response(e.status, JSON, e.toJson().getBytes(StandardCharsets.UTF_8));
  }

  Response header(String name, String value) {
    headers.put(name, value);
    return this;
  }
}
