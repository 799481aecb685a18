package dev.dimutex.emulator;

import dev.dimutex.emulator.Route.Kind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Classifies requests to {@code /upload/storage/v1/b/{bucket}/o} and {@code
 * /resumable/upload/storage/v1/b/{bucket}/o} (the discovery document's resumable path): media,
 * multipart and resumable starts (whose bodies it parses, since the object name may be in them),
 * and requests to a resumable session.
 */
final class UploadRouter {
  private final Function<String, @Nullable String> sessionObjectNames;

  UploadRouter(Function<String, @Nullable String> sessionObjectNames) {
    this.sessionObjectNames = sessionObjectNames;
  }

  /** {@code rest}: the raw path below {@code .../storage/v1/}. */
  Route route(Request request, String rest) {
    String[] segments = rest.split("/", -1);
    boolean valid =
        (segments.length == 3 || (segments.length == 4 && segments[3].isEmpty()))
            && segments[0].equals("b")
            && segments[2].equals("o");
    if (!valid) {
      throw GcsException.notImplemented(request.method() + " " + request.rawPath());
    }
    String bucket = Urls.decodePath(segments[1]);
    String uploadId = request.param("upload_id");
    String method = request.method();
    if (uploadId != null) {
      String name = sessionObjectNames.apply(uploadId);
      if (method.equals("PUT") || method.equals("POST")) {
        Operation op = isFinalChunk(request) ? Operation.OBJECT_INSERT : Operation.OTHER;
        return new Route(Kind.RESUMABLE_CHUNK, op, bucket, name);
      }
      if (method.equals("DELETE")) {
        return new Route(Kind.RESUMABLE_CHUNK, Operation.OTHER, bucket, name);
      }
      return Route.failed(
          GcsException.notImplemented(method + " on a resumable upload session"), bucket, name);
    }
    String name = request.param("name");
    try {
      if (!method.equals("POST")) {
        throw GcsException.notImplemented(method + " on /upload without upload_id");
      }
      String type = request.param("uploadType");
      if (type == null) {
        throw GcsException.required("uploadType");
      }
      UploadBody body;
      Operation op = Operation.OBJECT_INSERT;
      switch (type) {
        case "media" ->
            body =
                new UploadBody(
                    new LinkedHashMap<>(), request.body(), request.header("Content-Type"));
        case "multipart" -> {
          String boundary = Multipart.boundary(request.header("Content-Type"));
          List<Multipart.Part> parts = Multipart.parse(request.body(), boundary);
          body =
              new UploadBody(
                  Request.jsonObject(parts.get(0).body()),
                  parts.get(1).body(),
                  parts.get(1).headers().get("content-type"));
        }
        case "resumable" -> {
          op = Operation.RESUMABLE_START;
          Map<String, @Nullable Object> metadata =
              request.body().length == 0
                  ? new LinkedHashMap<>()
                  : Request.jsonObject(request.body());
          body = new UploadBody(metadata, new byte[0], request.header("X-Upload-Content-Type"));
        }
        default ->
            throw GcsException.invalid(
                "Invalid uploadType '" + type + "' (expected media, multipart or resumable).");
      }
      if (name == null) {
        name = body.name();
      }
      return new Route(Kind.UPLOAD, op, bucket, name, null, body, null);
    } catch (GcsException e) {
      return Route.failed(e, bucket, name);
    }
  }

  private static boolean isFinalChunk(Request request) {
    String range = request.header("Content-Range");
    if (range == null) {
      return true;
    }
    String r = range.trim();
    return !r.endsWith("/*") || r.endsWith("-*/*");
  }
}
