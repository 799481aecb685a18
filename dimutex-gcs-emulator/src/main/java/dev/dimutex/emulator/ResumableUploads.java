package dev.dimutex.emulator;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Resumable upload sessions: the initiating POST opens one, PUTs with {@code Content-Range} add
 * data, and the request that completes the data creates the version through the {@link Inserter}
 * (which checks the preconditions given when the session was opened). A completed session keeps its
 * answer for status queries, so a client whose final response was lost can ask again.
 */
final class ResumableUploads {

  /** Creates an object version atomically, checking preconditions (the handler's insert). */
  @FunctionalInterface
  interface Inserter {
    StoredObject insert(
        String bucket,
        String name,
        Map<String, @Nullable Object> metadata,
        byte[] data,
        @Nullable String contentType,
        Preconditions preconditions);
  }

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Inserter inserter;

  ResumableUploads(Inserter inserter) {
    this.inserter = inserter;
  }

  /** The object name of a session, or {@code null} for an unknown id. */
  @Nullable String objectName(String uploadId) {
    Session session = sessions.get(uploadId);
    return session == null ? null : session.name;
  }

  /** Opens a session and answers 200 with its URL in {@code Location}. */
  Response start(
      String bucket,
      String name,
      Map<String, @Nullable Object> metadata,
      @Nullable String contentType,
      Preconditions preconditions,
      String baseUrl) {
    String id = UUID.randomUUID().toString().replace("-", "");
    sessions.put(id, new Session(bucket, name, metadata, contentType, preconditions));
    String location =
        baseUrl
            + "/upload/storage/v1/b/"
            + Urls.encode(bucket)
            + "/o?uploadType=resumable&name="
            + Urls.encode(name)
            + "&upload_id="
            + id;
    return Response.empty(200).header("Location", location).header("X-GUploader-UploadID", id);
  }

  /** Handles a PUT (or POST) of data to a session, or a DELETE that cancels it. */
  Response chunk(Call call, String uploadId, String baseUrl) {
    Session session = sessions.get(uploadId);
    if (session == null) {
      throw new GcsException(404, "notFound", "No such resumable upload session: " + uploadId);
    }
    if (call.method.equals("DELETE")) {
      sessions.remove(uploadId);
      return Response.error(new GcsException(499, "clientClosedRequest", "Upload cancelled."));
    }
    synchronized (session) {
      if (session.result != null) {
        return session.result;
      }
      byte[] chunk = call.body;
      String range = call.header("Content-Range");
      long total;
      if (range == null) {
        if (session.data.size() > 0) {
          throw GcsException.invalid("Missing Content-Range for a continued resumable upload.");
        }
        session.data.write(chunk, 0, chunk.length);
        total = chunk.length;
      } else {
        total = applyContentRange(session, range.trim(), chunk);
      }
      long received = session.data.size();
      if (total < 0 || received < total) {
        Response incomplete = Response.empty(308);
        if (received > 0) {
          incomplete.header("Range", "bytes=0-" + (received - 1));
        }
        return incomplete;
      }
      if (received > total) {
        throw GcsException.invalid("More data received than the declared total size " + total);
      }
      try {
        StoredObject o =
            inserter.insert(
                session.bucket,
                session.name,
                session.metadata,
                session.data.toByteArray(),
                session.contentType,
                session.preconditions);
        session.result = Response.json(200, Resources.object(o, baseUrl));
      } catch (GcsException e) {
        if (e.status == 429 || e.status >= 500) {
          throw e; // transient: the client may finalize again
        }
        session.result = Response.error(e);
      }
      session.data = new ByteArrayOutputStream(0);
      return session.result;
    }
  }

  /** Appends a chunk; returns the declared total size, or -1 if unknown yet. */
  private static long applyContentRange(Session session, String range, byte[] chunk) {
    if (!range.startsWith("bytes ")) {
      throw invalidRange(range);
    }
    String spec = range.substring(6).trim();
    int slash = spec.indexOf('/');
    if (slash < 0) {
      throw invalidRange(range);
    }
    String span = spec.substring(0, slash);
    String totalText = spec.substring(slash + 1);
    try {
      long total = totalText.equals("*") ? -1 : Long.parseLong(totalText);
      if (!totalText.equals("*") && total < 0) {
        throw invalidRange(range);
      }
      if (span.equals("*")) {
        if (chunk.length > 0) {
          throw GcsException.invalid("Content-Range 'bytes */N' must come with an empty body.");
        }
        return total;
      }
      int dash = span.indexOf('-');
      long start = Long.parseLong(span.substring(0, dash));
      // "bytes N-*/T": the body runs from N to the end of this request (Node's single-request
      // upload); with an unknown total it is also the last request.
      boolean openEnded = span.substring(dash + 1).equals("*");
      long end = openEnded ? start + chunk.length - 1 : Long.parseLong(span.substring(dash + 1));
      if (openEnded && total < 0) {
        total = start + chunk.length;
      }
      if (start < 0 || (!openEnded && end < start) || end - start + 1 != chunk.length) {
        throw GcsException.invalid(
            "Content-Range '" + range + "' does not match the body length " + chunk.length + ".");
      }
      long received = session.data.size();
      if (start > received) {
        throw GcsException.invalid(
            "Content-Range starts at " + start + " but only " + received + " bytes were received.");
      }
      int skip = (int) (received - start);
      if (skip < chunk.length) {
        session.data.write(chunk, skip, chunk.length - skip);
      }
      return total;
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw invalidRange(range);
    }
  }

  private static GcsException invalidRange(String range) {
    return GcsException.invalid(
        "Invalid Content-Range: '"
            + range
            + "' (expected 'bytes FIRST-LAST/TOTAL' or 'bytes */TOTAL', where LAST and TOTAL"
            + " may be '*').");
  }

  private static final class Session {
    final String bucket;
    final String name;
    final Map<String, @Nullable Object> metadata;
    final @Nullable String contentType;
    final Preconditions preconditions;
    ByteArrayOutputStream data = new ByteArrayOutputStream();

    /** The final answer, repeated to status queries after completion (the data is released). */
    @Nullable Response result;

    Session(
        String bucket,
        String name,
        Map<String, @Nullable Object> metadata,
        @Nullable String contentType,
        Preconditions preconditions) {
      this.bucket = bucket;
      this.name = name;
      this.metadata = metadata;
      this.contentType = contentType;
      this.preconditions = preconditions;
    }
  }
}
