package dev.dimutex.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Object and bucket listings, with GCS's paging ({@code maxResults}, page tokens). */
final class Listing {
  private static final int MAX_LIST_RESULTS = 1000;

  private final ObjectStore store;
  private final String baseUrl;

  Listing(ObjectStore store, String baseUrl) {
    this.store = store;
    this.baseUrl = baseUrl;
  }

  /** Where a listing resumes: after {@code name}, and past every name under it if a prefix. */
  record PageToken(String name, boolean prefix) {
    boolean skips(String candidate) {
      return Bucket.NAME_ORDER.compare(candidate, name) <= 0
          || (prefix && candidate.startsWith(name));
    }
  }

  Response objects(Request request, Route route) {
    Bucket b = store.bucket(route.bucket());
    Map<String, String> q = request.query();
    if ("true".equalsIgnoreCase(q.get("includeTrailingDelimiter"))) {
      throw GcsException.notImplemented("includeTrailingDelimiter=true");
    }
    if (q.get("matchGlob") != null) {
      throw GcsException.notImplemented("matchGlob");
    }
    if ("true".equalsIgnoreCase(q.get("softDeleted"))) {
      throw GcsException.notImplemented("softDeleted=true");
    }
    String prefix = q.getOrDefault("prefix", "");
    String delimiter = q.get("delimiter");
    if (delimiter != null && delimiter.isEmpty()) {
      delimiter = null;
    }
    String startOffset = q.get("startOffset");
    String endOffset = q.get("endOffset");
    int max = maxResults(request);
    PageToken after = pageToken(request);
    List<Object> items = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String lastKind = null;
    String lastKey = null;
    boolean more = false;
    Map<String, StoredObject> view = prefix.isEmpty() ? b.objects : b.objects.tailMap(prefix);
    for (StoredObject o : view.values()) {
      String name = o.name();
      if (!name.startsWith(prefix)) {
        break;
      }
      if (after != null && after.skips(name)) {
        continue;
      }
      if (startOffset != null && Bucket.NAME_ORDER.compare(name, startOffset) < 0) {
        continue;
      }
      if (endOffset != null
          && !endOffset.isEmpty()
          && Bucket.NAME_ORDER.compare(name, endOffset) >= 0) {
        break;
      }
      String collapsed = null;
      if (delimiter != null) {
        int idx = name.indexOf(delimiter, prefix.length());
        if (idx >= 0) {
          collapsed = name.substring(0, idx + delimiter.length());
        }
      }
      if (collapsed != null && collapsed.equals(lastKey) && "p".equals(lastKind)) {
        continue;
      }
      if (items.size() + prefixes.size() == max) {
        more = true;
        break;
      }
      if (collapsed != null) {
        prefixes.add(collapsed);
        lastKind = "p";
        lastKey = collapsed;
      } else {
        items.add(Resources.object(o, baseUrl));
        lastKind = "o";
        lastKey = name;
      }
    }
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    out.put("kind", "storage#objects");
    if (more && lastKey != null) {
      out.put("nextPageToken", encodeToken(Objects.requireNonNull(lastKind), lastKey));
    }
    if (!prefixes.isEmpty()) {
      out.put("prefixes", prefixes);
    }
    if (!items.isEmpty()) {
      out.put("items", items);
    }
    return Response.json(200, out);
  }

  Response buckets(Request request) {
    BucketOps.requireProject(request);
    String prefix = request.query().getOrDefault("prefix", "");
    int max = maxResults(request);
    PageToken after = pageToken(request);
    List<Object> items = new ArrayList<>();
    String last = null;
    boolean more = false;
    for (Bucket b : store.buckets()) {
      if (!b.name.startsWith(prefix) || (after != null && after.skips(b.name))) {
        continue;
      }
      if (items.size() == max) {
        more = true;
        break;
      }
      items.add(Resources.bucket(b, baseUrl));
      last = b.name;
    }
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    out.put("kind", "storage#buckets");
    if (more && last != null) {
      out.put("nextPageToken", encodeToken("b", last));
    }
    if (!items.isEmpty()) {
      out.put("items", items);
    }
    return Response.json(200, out);
  }

  private static int maxResults(Request request) {
    String raw = request.param("maxResults");
    if (raw == null) {
      return MAX_LIST_RESULTS;
    }
    long value = Numbers.parse("maxResults", raw);
    if (value < 1) {
      throw GcsException.invalid("Invalid argument for maxResults: '" + raw + "' (must be >= 1).");
    }
    return (int) Math.min(value, MAX_LIST_RESULTS);
  }

  private static String encodeToken(String kind, String name) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((kind + ":" + name).getBytes(StandardCharsets.UTF_8));
  }

  private static @Nullable PageToken pageToken(Request request) {
    String token = request.param("pageToken");
    if (token == null || token.isEmpty()) {
      return null;
    }
    try {
      String decoded = Urls.utf8(Base64.getUrlDecoder().decode(token));
      int colon = decoded.indexOf(':');
      if (colon == 1) {
        char kind = decoded.charAt(0);
        String name = decoded.substring(2);
        if (kind == 'o' || kind == 'b' || kind == 'p') {
          return new PageToken(name, kind == 'p');
        }
      }
    } catch (IllegalArgumentException | GcsException e) {
      // fall through
    }
    throw GcsException.invalid("Invalid pageToken: '" + token + "'.");
  }
}
