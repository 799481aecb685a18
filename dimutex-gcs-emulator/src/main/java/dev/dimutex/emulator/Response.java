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

  /** An error in the XML API's shape ({@code <Error><Code>..</Code><Message>..</Message>}). */
  static Response xmlError(GcsException e) {
    if (e.status == 304) {
      return empty(304);
    }
    String message = e.getMessage() == null ? "" : e.getMessage();
    String code =
        switch (e.status) {
          case 400 -> "InvalidArgument";
          case 404 -> message.startsWith("No such object") ? "NoSuchKey" : "NoSuchBucket";
          case 412 -> "PreconditionFailed";
          case 416 -> "InvalidRange";
          case 429 -> "SlowDown";
          case 501 -> "NotImplemented";
          default -> e.status >= 500 ? "InternalError" : "InvalidRequest";
        };
    String xml =
        "<?xml version='1.0' encoding='UTF-8'?><Error><Code>"
            + code
            + "</Code><Message>"
            + message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            + "</Message></Error>";
    return new Response(
        e.status, "application/xml; charset=UTF-8", xml.getBytes(StandardCharsets.UTF_8));
  }

  Response header(String name, String value) {
    headers.put(name, value);
    return this;
  }
}
