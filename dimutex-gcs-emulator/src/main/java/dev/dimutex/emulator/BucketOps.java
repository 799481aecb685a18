package dev.dimutex.emulator;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Bucket insert, get, delete and storage layout (listing is in {@link Listing}). */
final class BucketOps {
  private final ObjectStore store;
  private final String baseUrl;

  BucketOps(ObjectStore store, String baseUrl) {
    this.store = store;
    this.baseUrl = baseUrl;
  }

  Response insert(Request request) {
    requireProject(request);
    Map<String, @Nullable Object> json = request.jsonBody();
    if (!(json.get("name") instanceof String name)) {
      throw GcsException.required("resource.name");
    }
    Bucket.validateName(name);
    return Response.json(200, Resources.bucket(store.insertBucket(name), baseUrl));
  }

  Response get(Request request, Route route) {
    Bucket b = store.bucket(route.bucket());
    checkPreconditions(request, true);
    return Response.json(200, Resources.bucket(b, baseUrl));
  }

  Response delete(Request request, Route route) {
    Bucket b = store.bucket(route.bucket());
    checkPreconditions(request, false);
    store.deleteBucket(b);
    return Response.empty(204);
  }

  /**
   * {@code buckets.getStorageLayout} as GCS answers it for a flat-namespace bucket without a custom
   * placement (which is what every emulator bucket is).
   */
  Response storageLayout(Request request, Route route) {
    Bucket b = store.bucket(route.bucket());
    Map<String, @Nullable Object> hns = new LinkedHashMap<>();
    hns.put("enabled", false);
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    out.put("kind", "storage#storageLayout");
    out.put("bucket", b.name);
    out.put("location", Resources.LOCATION);
    out.put("locationType", Resources.LOCATION_TYPE);
    out.put("hierarchicalNamespace", hns);
    return Response.json(200, out);
  }

  /** Bucket insert and list need a project, as on GCS; any value is accepted. */
  static void requireProject(Request request) {
    String project = request.param("project");
    if (project == null || project.isEmpty()) {
      throw GcsException.required("project");
    }
  }

  /** Bucket metageneration is always 1. */
  private static void checkPreconditions(Request request, boolean read) {
    Long match = Preconditions.parse(request.query(), "ifMetagenerationMatch");
    Long notMatch = Preconditions.parse(request.query(), "ifMetagenerationNotMatch");
    if (match != null && match != 1) {
      throw GcsException.preconditionFailed();
    }
    if (notMatch != null && notMatch == 1) {
      throw read ? GcsException.notModified() : GcsException.preconditionFailed();
    }
  }
}
