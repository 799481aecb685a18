package dev.dimutex.emulator;

import dev.dimutex.emulator.StoredObject.ObjectMeta;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Object data: {@code alt=media}, {@code /download/storage/v1/...} and XML-API reads. */
final class Downloads {
  private final ObjectOps objects;

  Downloads(ObjectOps objects) {
    this.objects = objects;
  }

  Response json(Request request, Route route) {
    return data(request, objects.read(route.bucket(), route.object(), request.query()));
  }

  Response xml(Request request, Route route) {
    Preconditions pre =
        new Preconditions(
            headerPrecondition(request, "x-goog-if-generation-match"),
            null,
            headerPrecondition(request, "x-goog-if-metageneration-match"),
            null);
    StoredObject o =
        objects.live(
            route.bucket(), route.object(), Preconditions.parse(request.query(), "generation"));
    pre.check(o, true);
    return data(request, o)
        .header("ETag", "\"" + hex(Base64.getDecoder().decode(o.md5Base64())) + "\"")
        .header(
            "Last-Modified",
            DateTimeFormatter.RFC_1123_DATE_TIME.format(o.updated().atOffset(ZoneOffset.UTC)));
  }

  private static @Nullable Long headerPrecondition(Request request, String header) {
    String value = request.header(header);
    return value == null ? null : Preconditions.parse(Map.of(header, value), header);
  }

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }

  private static Response data(Request request, StoredObject o) {
    byte[] data = o.data();
    int status = 200;
    byte[] body = data;
    String contentRange = null;
    String range = request.header("Range");
    if (range != null && data.length > 0) {
      long[] r = parseRange(range, data.length);
      if (r != null) {
        body = Arrays.copyOfRange(data, (int) r[0], (int) r[1] + 1);
        if (body.length != data.length) {
          status = 206;
          contentRange = "bytes " + r[0] + "-" + r[1] + "/" + data.length;
        }
      }
    }
    ObjectMeta meta = o.meta();
    Response response =
        new Response(
                status,
                meta.contentType() == null ? "application/octet-stream" : meta.contentType(),
                body)
            .header("X-Goog-Generation", Long.toString(o.generation()))
            .header("X-Goog-Metageneration", Long.toString(o.metageneration()))
            .header("X-Goog-Stored-Content-Length", Integer.toString(data.length))
            .header("X-Goog-Stored-Content-Encoding", "identity")
            .header("X-Goog-Hash", "crc32c=" + o.crc32cBase64() + ",md5=" + o.md5Base64())
            .header("ETag", "\"" + o.etag() + "\"");
    if (meta.cacheControl() != null) {
      response.header("Cache-Control", meta.cacheControl());
    }
    if (contentRange != null) {
      response.header("Content-Range", contentRange);
    }
    return response;
  }

  /** Returns inclusive {start, end}, or {@code null} to ignore an unparseable header. */
  private static long @Nullable [] parseRange(String header, long size) {
    String h = header.trim();
    if (!h.startsWith("bytes=") || h.contains(",")) {
      return null;
    }
    String spec = h.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    String a = spec.substring(0, dash).trim();
    String b = spec.substring(dash + 1).trim();
    if (!Numbers.isDigits(a, true) || !Numbers.isDigits(b, true) || (a.isEmpty() && b.isEmpty())) {
      return null;
    }
    try {
      long start;
      long end;
      if (a.isEmpty()) {
        long suffix = Long.parseLong(b);
        start = Math.max(0, size - suffix);
        end = size - 1;
      } else {
        start = Long.parseLong(a);
        end = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
      }
      if (start >= size || start > end || start < 0) {
        throw new GcsException(
            416, "requestedRangeNotSatisfiable", "The requested range cannot be satisfied.");
      }
      return new long[] {start, end};
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
