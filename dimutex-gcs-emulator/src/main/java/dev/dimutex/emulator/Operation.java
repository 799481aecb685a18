package dev.dimutex.emulator;

/** The kind of a request the emulator received, as used by the request log and fault rules. */
public enum Operation {
  /** {@code POST /storage/v1/b}: create a bucket. */
  BUCKET_INSERT,
  /** {@code GET /storage/v1/b/{bucket}}: bucket metadata. */
  BUCKET_GET,
  /** {@code GET /storage/v1/b}: list buckets. */
  BUCKET_LIST,
  /** {@code DELETE /storage/v1/b/{bucket}}: delete an empty bucket. */
  BUCKET_DELETE,
  /**
   * Any upload that creates an object version: a media or multipart upload, and the final {@code
   * PUT} of a resumable upload.
   */
  OBJECT_INSERT,
  /**
   * {@code POST /upload/storage/v1/b/{bucket}/o?uploadType=resumable}: start a resumable upload.
   */
  RESUMABLE_START,
  /** {@code GET /storage/v1/b/{bucket}/o/{object}}: object metadata. */
  OBJECT_GET,
  /** Object data: {@code alt=media} or {@code /download/storage/v1/...}. */
  OBJECT_DOWNLOAD,
  /** {@code PATCH /storage/v1/b/{bucket}/o/{object}}: merge metadata. */
  OBJECT_PATCH,
  /** {@code PUT /storage/v1/b/{bucket}/o/{object}}: replace metadata. */
  OBJECT_UPDATE,
  /** {@code DELETE /storage/v1/b/{bucket}/o/{object}}. */
  OBJECT_DELETE,
  /** {@code GET /storage/v1/b/{bucket}/o}: list objects. */
  OBJECT_LIST,
  /**
   * {@code POST /storage/v1/b/{bucket}/o/{object}/copyTo/b/{bucket}/o/{object}}: copy an object
   * (bucket and object in the log are the destination's).
   */
  OBJECT_COPY,
  /**
   * {@code POST /storage/v1/b/{bucket}/o/{object}/rewriteTo/b/{bucket}/o/{object}}: one call of a
   * rewrite (bucket and object in the log are the destination's).
   */
  OBJECT_REWRITE,
  /** {@code GET /storage/v1/b/{bucket}/storageLayout}: the bucket's storage layout. */
  BUCKET_STORAGE_LAYOUT,
  /**
   * A request to the emulator's own admin API under {@code /_emulator/}: never faulted and not
   * logged (so that reading the log does not change it).
   */
  ADMIN,
  /** Anything else: intermediate resumable chunks, unsupported or malformed requests. */
  OTHER;

  /**
   * Tells whether this operation changes an object.
   *
   * @return {@code true} for {@link #OBJECT_INSERT}, {@link #OBJECT_PATCH}, {@link #OBJECT_UPDATE},
   *     {@link #OBJECT_DELETE}, {@link #OBJECT_COPY} and {@link #OBJECT_REWRITE}
   */
  public boolean isObjectMutation() {
    return this == OBJECT_INSERT
        || this == OBJECT_COPY
        || this == OBJECT_REWRITE
        || this == OBJECT_PATCH
        || this == OBJECT_UPDATE
        || this == OBJECT_DELETE;
  }
}
