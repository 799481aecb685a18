package dev.dimutex.emulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A GCS error answer: status, reason and message, rendered in GCS's JSON error shape. */
final class GcsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String reason;
  final boolean injected;

  GcsException(int status, String reason, String message) {
    this(status, reason, message, false);
  }

  GcsException(int status, String reason, String message, boolean injected) {
    super(message, null, false, false);
    this.status = status;
    this.reason = reason;
    this.injected = injected;
  }

  static GcsException invalid(String message) {
    return new GcsException(400, "invalid", message);
  }

  static GcsException required(String parameter) {
    return new GcsException(400, "required", "Required parameter: " + parameter);
  }

  static GcsException bucketNotFound(String bucket) {
    return new GcsException(
        404, "notFound", "The specified bucket does not exist: '" + bucket + "'.");
  }

  static GcsException objectNotFound(String bucket, String object) {
    return new GcsException(404, "notFound", "No such object: " + bucket + "/" + object);
  }

  static GcsException preconditionFailed() {
    return new GcsException(
        412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.");
  }

  static GcsException notModified() {
    return new GcsException(304, "notModified", "Not Modified");
  }

  static GcsException notImplemented(String feature) {
    return new GcsException(
        501, "notImplemented", "Not implemented by the dimutex GCS emulator: " + feature);
  }

  static GcsException rateLimited(String bucket, String object) {
    return new GcsException(
        429,
        "rateLimitExceeded",
        "The object "
            + bucket
            + "/"
            + object
            + " exceeded the rate limit for object mutation operations (create, update, and"
            + " delete). Please reduce your request rate. See"
            + " https://cloud.google.com/storage/docs/gcs429.",
        true);
  }

  /** The error GCS would answer for an injected failure with this status. */
  static GcsException injected(int status) {
    String reason;
    String message;
    switch (status) {
      case 400 -> {
        reason = "invalid";
        message = "Invalid request (injected fault).";
      }
      case 401 -> {
        reason = "required";
        message = "Anonymous caller does not have storage.objects.get access (injected fault).";
      }
      case 403 -> {
        reason = "forbidden";
        message = "Caller does not have permission (injected fault).";
      }
      case 404 -> {
        reason = "notFound";
        message = "Not Found (injected fault).";
      }
      case 408 -> {
        reason = "requestTimeout";
        message = "Request Timeout (injected fault).";
      }
      case 409 -> {
        reason = "conflict";
        message = "The object was edited during the operation (injected fault).";
      }
      case 412 -> {
        reason = "conditionNotMet";
        message = "At least one of the pre-conditions you specified did not hold (injected fault).";
      }
      case 429 -> {
        reason = "rateLimitExceeded";
        message = "The rate of change requests to the object is too high (injected fault).";
      }
      default -> {
        reason = status >= 500 ? "backendError" : "invalid";
        message =
            status >= 500
                ? "We encountered an internal error. Please try again (injected fault)."
                : "Injected fault.";
      }
    }
    return new GcsException(status, reason, message, true);
  }

  String toJson() {
    return toJson(status, reason, getMessage());
  }

  static String toJson(int status, String reason, @Nullable String message) {
    String text = message == null ? "" : message;
    Map<String, @Nullable Object> detail = new LinkedHashMap<>();
    detail.put("message", text);
    detail.put("domain", "global");
    detail.put("reason", reason);
    if (status == 412) {
      detail.put("locationType", "header");
      detail.put("location", "If-Match");
    }
    Map<String, @Nullable Object> error = new LinkedHashMap<>();
    error.put("code", (long) status);
    error.put("message", text);
    error.put("errors", List.of(detail));
    Map<String, @Nullable Object> body = new LinkedHashMap<>();
    body.put("error", error);
    return Json.write(body);
  }
}
