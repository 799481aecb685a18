package dev.dimutex.benchmarks;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The baseline: the two requests a lock needs at minimum, made directly with the {@code
 * google-cloud-storage} client. Create with {@code doesNotExist}, delete with generation (and
 * metageneration) match. The object it writes copies the library's lock object (same metadata,
 * cache control, content type and content), so both sides send requests of the same size.
 */
final class RawClient {
  private final Storage storage;
  private final String bucket;
  private volatile Template template =
      new Template(
          Map.of(
              "owner",
              UUID.randomUUID().toString(),
              "nonce",
              UUID.randomUUID().toString(),
              "ttl",
              "PT1M",
              "acquiredAt",
              "2026-01-01T00:00:00.000000Z"),
          "no-store",
          null,
          new byte[0]);

  private record Template(
      Map<String, String> metadata,
      @Nullable String cacheControl,
      @Nullable String contentType,
      byte[] content) {}

  RawClient(Storage storage, String bucket) {
    this.storage = storage;
    this.bucket = bucket;
  }

  /** Copies the shape of a real lock object written by the library. */
  void copyShapeOf(String lockObjectName) {
    Blob blob = storage.get(BlobId.of(bucket, lockObjectName));
    if (blob == null) {
      throw new IllegalStateException("lock object " + lockObjectName + " not found");
    }
    Map<String, String> metadata = blob.getMetadata() == null ? Map.of() : blob.getMetadata();
    byte[] content = storage.readAllBytes(BlobId.of(bucket, lockObjectName));
    template =
        new Template(Map.copyOf(metadata), blob.getCacheControl(), blob.getContentType(), content);
  }

  String describeShape() {
    Template t = template;
    return "metadata keys "
        + t.metadata().keySet()
        + ", cacheControl="
        + t.cacheControl()
        + ", "
        + t.content().length
        + " content bytes";
  }

  /** One conditional create; returns the created object, or null if it already exists. */
  @Nullable Blob create(String name) {
    Template t = template;
    Map<String, String> metadata = new HashMap<>(t.metadata());
    // A fresh per-acquisition value, as the library writes a fresh nonce.
    metadata.replaceAll((k, v) -> k.toLowerCase().contains("nonce") ? freshLike(v) : v);
    BlobInfo.Builder info = BlobInfo.newBuilder(BlobId.of(bucket, name)).setMetadata(metadata);
    if (t.cacheControl() != null) {
      info.setCacheControl(t.cacheControl());
    }
    if (t.contentType() != null) {
      info.setContentType(t.contentType());
    }
    try {
      return storage.create(info.build(), t.content(), Storage.BlobTargetOption.doesNotExist());
    } catch (StorageException e) {
      if (e.getCode() == 412) {
        return null;
      }
      throw e;
    }
  }

  /** The conditional delete of exactly the version {@link #create} made. */
  boolean delete(Blob created) {
    return storage.delete(
        BlobId.of(bucket, created.getName()),
        Storage.BlobSourceOption.generationMatch(created.getGeneration()),
        Storage.BlobSourceOption.metagenerationMatch(created.getMetageneration()));
  }

  /** Create then delete: the two requests of a lock cycle. */
  void cycle(String name) {
    Blob created = create(name);
    if (created == null) {
      throw new IllegalStateException("raw create of " + name + " found the object present");
    }
    if (!delete(created)) {
      throw new IllegalStateException("raw delete of " + name + " found no object");
    }
  }

  /** A conditional metadata update (PATCH) of an object {@link #create} made, as a refresh does. */
  Blob patch(Blob current) {
    BlobInfo info =
        BlobInfo.newBuilder(BlobId.of(bucket, current.getName()))
            .setMetadata(Map.of("refreshed", Long.toString(System.nanoTime())))
            .build();
    return storage.update(
        info,
        Storage.BlobTargetOption.generationMatch(current.getGeneration()),
        Storage.BlobTargetOption.metagenerationMatch(current.getMetageneration()));
  }

  /**
   * The conditional PATCH a lock's refresh sends: the lock object's whole custom metadata (as
   * copied by {@link #copyShapeOf}), conditioned on generation and metageneration.
   */
  Blob refresh(Blob current) {
    BlobInfo info =
        BlobInfo.newBuilder(BlobId.of(bucket, current.getName()))
            .setMetadata(template.metadata())
            .build();
    return storage.update(
        info,
        Storage.BlobTargetOption.generationMatch(current.getGeneration()),
        Storage.BlobTargetOption.metagenerationMatch(current.getMetageneration()));
  }

  private static String freshLike(String value) {
    String fresh = UUID.randomUUID().toString().replace("-", "");
    StringBuilder sb = new StringBuilder();
    while (sb.length() < value.length()) {
      sb.append(fresh);
    }
    return sb.substring(0, value.length());
  }
}
