package dev.dimutex.emulator;

import org.jspecify.annotations.Nullable;

/**
 * What a request addresses, as the {@link Router} classified it. Immutable.
 *
 * @param kind which class executes it
 * @param operation the operation, for the request log and fault rules
 * @param bucket the bucket the request addresses (for copies and rewrites: the destination)
 * @param object the object name it addresses (for copies and rewrites: the destination)
 * @param source for copies and rewrites: the source object, else {@code null}
 * @param upload for media and multipart uploads and resumable starts: the parsed body
 * @param error why the request cannot be executed (kind {@link Kind#FAILED}), else {@code null}
 */
record Route(
    Kind kind,
    Operation operation,
    @Nullable String bucket,
    @Nullable String object,
    @Nullable ObjectId source,
    @Nullable UploadBody upload,
    @Nullable GcsException error) {

  /** The class that executes a route. */
  enum Kind {
    BUCKETS,
    BUCKET,
    STORAGE_LAYOUT,
    LIST,
    OBJECT,
    DOWNLOAD,
    /** {@code GET/HEAD /{bucket}/{object}}: the XML API's object read, used by Go and Node. */
    XML_DOWNLOAD,
    UPLOAD,
    RESUMABLE_CHUNK,
    COPY,
    REWRITE,
    ADMIN,
    /** Malformed or unimplemented: answered with {@link #error}. */
    FAILED
  }

  /** A bucket and an object name. */
  record ObjectId(String bucket, String name) {}

  Route(Kind kind, Operation operation, @Nullable String bucket, @Nullable String object) {
    this(kind, operation, bucket, object, null, null, null);
  }

  static Route failed(GcsException error, @Nullable String bucket, @Nullable String object) {
    return new Route(Kind.FAILED, Operation.OTHER, bucket, object, null, null, error);
  }

  RequestInfo info(Request request) {
    return new RequestInfo(
        request.method(), request.rawPath(), request.query(), operation, bucket, object);
  }
}
