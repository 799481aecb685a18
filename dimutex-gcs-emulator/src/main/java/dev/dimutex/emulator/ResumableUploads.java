package dev.dimutex.emulator;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Resumable upload sessions: the initiating POST opens one, PUTs with {@code Content-Range} add
 * data, and the request that completes the data creates the version through the {@link Inserter}
 * (which checks the preconditions given when the session was opened). A completed session keeps its
 * answer for status queries, so a client whose final response was lost can ask again.
 *
 * <p>Memory is bounded by {@link Limits}: the bytes of one session (the object-size limit, 413
 * {@code uploadTooLarge}), the bytes buffered across all sessions (503 {@code backendError} until
 * sessions finish, are cancelled or expire), the number of open sessions (503), and an idle expiry
 * after which a session is forgotten (404).
 */
final class ResumableUploads {

  /** Creates an object version atomically, checking preconditions. */
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

  /**
   * Bounds of the sessions' memory.
   *
   * @param maxObjectBytes the most bytes one session (one object) may hold
   * @param maxTotalBytes the most bytes all unfinished sessions may hold together
   * @param maxSessions the most sessions kept at once (finished ones included until they expire)
   * @param idleTimeout a session untouched this long is forgotten
   */
  record Limits(long maxObjectBytes, long maxTotalBytes, int maxSessions, Duration idleTimeout) {
    static final Limits DEFAULT =
        new Limits(256L * 1024 * 1024, 512L * 1024 * 1024, 10_000, Duration.ofMinutes(10));

    Limits {
      if (maxObjectBytes < 1
          || maxObjectBytes > Integer.MAX_VALUE - 8
          || maxTotalBytes < 1
          || maxSessions < 1) {
        throw new IllegalArgumentException(
            "resumable upload limits must be positive, got "
                + maxObjectBytes
                + ", "
                + maxTotalBytes
                + ", "
                + maxSessions);
      }
      if (idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("idle timeout must be positive, got " + idleTimeout);
      }
    }
  }

  private final Map<String, ResumableSession> sessions = new ConcurrentHashMap<>();
  private final AtomicLong bufferedBytes = new AtomicLong();
  private final Inserter inserter;
  private final String baseUrl;
  private final Limits limits;
  private final LongSupplier nanoTime;

  ResumableUploads(Inserter inserter, String baseUrl, Limits limits, LongSupplier nanoTime) {
    this.inserter = inserter;
    this.baseUrl = baseUrl;
    this.limits = limits;
    this.nanoTime = nanoTime;
  }

  /** The object name of a session, or {@code null} for an unknown id. */
  @Nullable String objectName(String uploadId) {
    ResumableSession session = sessions.get(uploadId);
    return session == null ? null : session.name;
  }

  /** Bytes held by unfinished sessions. */
  long bufferedBytes() {
    return bufferedBytes.get();
  }

  /** Opens a session and answers 200 with its URL in {@code Location}. */
  Response start(
      String bucket,
      String name,
      Map<String, @Nullable Object> metadata,
      @Nullable String contentType,
      Preconditions preconditions) {
    expireIdle();
    if (sessions.size() >= limits.maxSessions()) {
      throw new GcsException(
          503,
          "backendError",
          "Too many open resumable upload sessions ("
              + limits.maxSessions()
              + "); finish or cancel some, or wait until idle ones expire after "
              + limits.idleTimeout()
              + ".");
    }
    String id = UUID.randomUUID().toString().replace("-", "");
    sessions.put(
        id,
        new ResumableSession(
            bucket, name, metadata, contentType, preconditions, nanoTime.getAsLong()));
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
  Response chunk(Request request, String uploadId) {
    expireIdle();
    ResumableSession session = sessions.get(uploadId);
    if (session == null) {
      throw new GcsException(404, "notFound", "No such resumable upload session: " + uploadId);
    }
    synchronized (session) {
      session.touch(nanoTime.getAsLong());
      if (request.method().equals("DELETE")) {
        forget(uploadId, session);
        return Response.error(new GcsException(499, "clientClosedRequest", "Upload cancelled."));
      }
      Response finished = session.result();
      if (finished != null) {
        return finished;
      }
      ContentRange range = ContentRange.parse(request.header("Content-Range"), request.body());
      if (range.total() > limits.maxObjectBytes()) {
        throw tooLarge(range.total());
      }
      session.append(range, request.body(), this);
      long received = session.size();
      long total = range.total();
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
                session.data(),
                session.contentType,
                session.preconditions);
        finished = Response.json(200, Resources.object(o, baseUrl));
      } catch (GcsException e) {
        if (e.status == 429 || e.status >= 500) {
          throw e; // transient: the client may finalize again
        }
        finished = Response.error(e);
      }
      session.finish(finished);
      release(session);
      return finished;
    }
  }

  /** Reserves room for {@code bytes} more bytes of {@code session}, or refuses. */
  void reserve(ResumableSession session, long bytes) {
    if (session.size() + bytes > limits.maxObjectBytes()) {
      throw tooLarge(session.size() + bytes);
    }
    long total = bufferedBytes.addAndGet(bytes);
    if (total > limits.maxTotalBytes()) {
      bufferedBytes.addAndGet(-bytes);
      throw new GcsException(
          503,
          "backendError",
          "The emulator already buffers "
              + (total - bytes)
              + " bytes of unfinished resumable uploads (limit "
              + limits.maxTotalBytes()
              + "); finish or cancel sessions, or wait until idle ones expire after "
              + limits.idleTimeout()
              + ".");
    }
  }

  private GcsException tooLarge(long bytes) {
    return new GcsException(
        413,
        "uploadTooLarge",
        "The object would have "
            + bytes
            + " bytes; the emulator's object size limit is "
            + limits.maxObjectBytes()
            + " bytes.");
  }

  private void release(ResumableSession session) {
    bufferedBytes.addAndGet(-session.dropData());
  }

  private void forget(String id, ResumableSession session) {
    if (sessions.remove(id, session)) {
      release(session);
    }
  }

  /** Forgets sessions idle longer than the limit. */
  private void expireIdle() {
    long now = nanoTime.getAsLong();
    long timeout = limits.idleTimeout().toNanos();
    for (Iterator<Map.Entry<String, ResumableSession>> it = sessions.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, ResumableSession> e = it.next();
      ResumableSession s = e.getValue();
      synchronized (s) {
        if (now - s.touched() > timeout) {
          forget(e.getKey(), s);
        }
      }
    }
  }
}
