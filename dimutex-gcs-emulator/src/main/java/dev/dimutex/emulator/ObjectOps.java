package dev.dimutex.emulator;

import dev.dimutex.emulator.StoredObject.ObjectMeta;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * Object metadata reads, patches, updates and deletes, and the creation of every object version
 * (uploads, copies, rewrites): the one place where preconditions and the per-object mutation rate
 * limit are applied.
 */
final class ObjectOps {
  private static final Set<String> STORAGE_CLASSES =
      Set.of("STANDARD", "NEARLINE", "COLDLINE", "ARCHIVE");

  private final ObjectStore store;
  private final Faults faults;
  private final String baseUrl;

  ObjectOps(ObjectStore store, Faults faults, String baseUrl) {
    this.store = store;
    this.faults = faults;
    this.baseUrl = baseUrl;
  }

  /** The data and metadata of a new version, before it gets a generation. */
  record Content(ObjectMeta meta, String storageClass, byte[] data, String md5, String crc32c) {}

  Response get(Request request, Route route) {
    StoredObject o = read(route.bucket(), route.object(), request.query());
    return Response.json(200, Resources.object(o, baseUrl));
  }

  /**
   * The live object a read names, after its {@code generation} selector and preconditions (a failed
   * {@code ...NotMatch} answers 304).
   */
  StoredObject read(@Nullable String bucket, @Nullable String name, Map<String, String> query) {
    Preconditions pre = Preconditions.parse(query);
    StoredObject o = live(bucket, name, Preconditions.parse(query, "generation"));
    pre.check(o, true);
    return o;
  }

  /** The live object of that name, of that generation if one is given; else 404. */
  StoredObject live(@Nullable String bucket, @Nullable String name, @Nullable Long generation) {
    Bucket b = store.bucket(bucket);
    String n = Objects.requireNonNull(name);
    StoredObject o = b.objects.get(n);
    if (o == null || (generation != null && generation != o.generation())) {
      throw GcsException.objectNotFound(b.name, n);
    }
    return o;
  }

  Response update(Request request, Route route) {
    Preconditions pre = Preconditions.parse(request.query());
    Map<String, @Nullable Object> json = request.jsonBody();
    boolean patch = route.operation() == Operation.OBJECT_PATCH;
    StoredObject updated =
        Objects.requireNonNull(
            mutateLive(
                request,
                route,
                pre,
                o -> {
                  ObjectMeta meta = Resources.merge(patch ? o.meta() : ObjectMeta.EMPTY, json);
                  Resources.checkCustomTime(o.meta(), meta);
                  return o.withMeta(meta, store.now());
                }));
    return Response.json(200, Resources.object(updated, baseUrl));
  }

  Response delete(Request request, Route route) {
    mutateLive(request, route, Preconditions.parse(request.query()), o -> null);
    return Response.empty(204);
  }

  private interface Change {
    @Nullable StoredObject apply(StoredObject live);
  }

  /** Changes the live object a request names, after the rate limit and the preconditions. */
  private @Nullable StoredObject mutateLive(
      Request request, Route route, Preconditions pre, Change change) {
    Long generation = Preconditions.parse(request.query(), "generation");
    String bucket = Objects.requireNonNull(route.bucket());
    String name = Objects.requireNonNull(route.object());
    return store.apply(
        bucket,
        name,
        current -> {
          if (current == null || (generation != null && generation != current.generation())) {
            throw GcsException.objectNotFound(bucket, name);
          }
          if (!faults.tryMutate(bucket, name)) {
            throw GcsException.rateLimited(bucket, name);
          }
          pre.check(current, false);
          return change.apply(current);
        });
  }

  /**
   * The content of an upload: metadata from the JSON resource (with the data part's content type if
   * the resource has none), verified {@code md5Hash}/{@code crc32c}, and the storage class.
   */
  static Content uploaded(
      Map<String, @Nullable Object> metadata, byte[] data, @Nullable String dataContentType) {
    ObjectMeta meta = Resources.merge(ObjectMeta.EMPTY, metadata);
    if (meta.contentType() == null && dataContentType != null && !dataContentType.isBlank()) {
      Resources.checkHeaderSafe("contentType", dataContentType);
      meta = meta.withContentType(dataContentType);
    }
    String md5 = md5(data);
    String crc32c = crc32c(data);
    if (metadata.get("md5Hash") instanceof String given && !given.equals(md5)) {
      throw GcsException.invalid(
          "Provided MD5 hash \"" + given + "\" doesn't match calculated MD5 hash \"" + md5 + "\".");
    }
    if (metadata.get("crc32c") instanceof String given && !given.equals(crc32c)) {
      throw GcsException.invalid(
          "Provided CRC32C \"" + given + "\" doesn't match calculated CRC32C \"" + crc32c + "\".");
    }
    return new Content(meta, storageClass(metadata, "STANDARD"), data, md5, crc32c);
  }

  static String storageClass(Map<String, @Nullable Object> metadata, String otherwise) {
    if (metadata.get("storageClass") instanceof String sc) {
      if (!STORAGE_CLASSES.contains(sc)) {
        throw GcsException.invalid("Invalid storageClass '" + sc + "'.");
      }
      return sc;
    }
    return otherwise;
  }

  /**
   * Creates a new version of a name, atomically: after the mutation rate limit and the
   * preconditions (checked against the live version, if any).
   */
  StoredObject create(
      @Nullable String bucketName, @Nullable String name, Content content, Preconditions pre) {
    Bucket b = store.bucket(bucketName);
    if (name == null) {
      throw GcsException.required("name");
    }
    ObjectNames.validate(name);
    return Objects.requireNonNull(
        store.apply(
            b.name,
            name,
            current -> {
              if (!faults.tryMutate(b.name, name)) {
                throw GcsException.rateLimited(b.name, name);
              }
              pre.check(current, false);
              var now = store.now();
              return new StoredObject(
                  b.name,
                  name,
                  store.nextGeneration(),
                  1,
                  content.data(),
                  content.meta(),
                  content.storageClass(),
                  now,
                  now,
                  content.md5(),
                  content.crc32c());
            }));
  }

  static String md5(byte[] data) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String crc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    long v = crc.getValue();
    byte[] bytes = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    return Base64.getEncoder().encodeToString(bytes);
  }
}
