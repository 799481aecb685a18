package dev.dimutex.emulator;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One immutable live object version. */
record StoredObject(
    String bucket,
    String name,
    long generation,
    long metageneration,
    byte[] data,
    ObjectMeta meta,
    String storageClass,
    Instant timeCreated,
    Instant updated,
    String md5Base64,
    String crc32cBase64) {

  /** The writable metadata of an object. */
  record ObjectMeta(
      @Nullable String contentType,
      @Nullable String cacheControl,
      @Nullable String contentEncoding,
      @Nullable String contentDisposition,
      @Nullable String contentLanguage,
      @Nullable Instant customTime,
      Map<String, String> metadata) {
    static final ObjectMeta EMPTY = new ObjectMeta(null, null, null, null, null, null, Map.of());

    ObjectMeta {
      metadata = Map.copyOf(metadata);
    }

    ObjectMeta withContentType(String type) {
      return new ObjectMeta(
          type,
          cacheControl,
          contentEncoding,
          contentDisposition,
          contentLanguage,
          customTime,
          metadata);
    }
  }

  StoredObject withMeta(ObjectMeta newMeta, Instant now) {
    return new StoredObject(
        bucket,
        name,
        generation,
        metageneration + 1,
        data,
        newMeta,
        storageClass,
        timeCreated,
        now,
        md5Base64,
        crc32cBase64);
  }

  /** GCS's JSON-API etag: base64 of the protobuf fields generation (1) and metageneration (2). */
  String etag() {
    byte[] buf = new byte[24];
    int n = 0;
    buf[n++] = 0x08;
    n = varint(buf, n, generation);
    buf[n++] = 0x10;
    n = varint(buf, n, metageneration);
    return java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf, n));
  }

  private static int varint(byte[] buf, int n, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      buf[n++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[n++] = (byte) v;
    return n;
  }
}
