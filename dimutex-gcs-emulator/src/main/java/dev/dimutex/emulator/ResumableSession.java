package dev.dimutex.emulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The state of one resumable upload session of {@link ResumableUploads}: where its object goes, the
 * data received so far, and once complete the answer repeated to status queries. Guarded by its own
 * monitor.
 */
final class ResumableSession {
  final String bucket;
  final String name;
  final Map<String, @Nullable Object> metadata;
  final @Nullable String contentType;
  final Preconditions preconditions;
  private final List<byte[]> chunks = new ArrayList<>();
  private long size;
  private long touched;

  /** The final answer, repeated to status queries after completion (the data is released). */
  private @Nullable Response result;

  ResumableSession(
      String bucket,
      String name,
      Map<String, @Nullable Object> metadata,
      @Nullable String contentType,
      Preconditions preconditions,
      long now) {
    this.bucket = bucket;
    this.name = name;
    this.metadata = metadata;
    this.contentType = contentType;
    this.preconditions = preconditions;
    this.touched = now;
  }

  /** Appends the part of a chunk not received yet. */
  void append(ContentRange range, byte[] chunk, ResumableUploads owner) {
    if (range.start() < 0) {
      if (range.first() && size > 0) {
        throw GcsException.invalid("Missing Content-Range for a continued resumable upload.");
      }
      if (chunk.length == 0) {
        return;
      }
    }
    long start = Math.max(0, range.start());
    if (start > size) {
      throw GcsException.invalid(
          "Content-Range starts at " + start + " but only " + size + " bytes were received.");
    }
    int skip = (int) (size - start);
    if (skip < chunk.length) {
      int n = chunk.length - skip;
      owner.reserve(this, n);
      chunks.add(skip == 0 ? chunk : Arrays.copyOfRange(chunk, skip, chunk.length));
      size += n;
    }
  }

  /** Bytes received so far (0 once the data is dropped). */
  long size() {
    return size;
  }

  /** When a request last reached this session, on the uploads' monotonic clock. */
  long touched() {
    return touched;
  }

  void touch(long now) {
    touched = now;
  }

  /** The final answer once the upload completed, else {@code null}. */
  @Nullable Response result() {
    return result;
  }

  /** Completes the session with its final answer. */
  void finish(Response answer) {
    result = answer;
  }

  /** Forgets the data received and returns how many bytes it held. */
  long dropData() {
    long held = size;
    chunks.clear();
    size = 0;
    return held;
  }

  byte[] data() {
    byte[] out = new byte[Math.toIntExact(size)];
    int pos = 0;
    for (byte[] c : chunks) {
      System.arraycopy(c, 0, out, pos, c.length);
      pos += c.length;
    }
    return out;
  }
}
