package dev.dimutex.emulator;

import dev.dimutex.emulator.Route.ObjectId;
import dev.dimutex.emulator.StoredObject.ObjectMeta;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code objects.copy} and {@code objects.rewrite}, within and across buckets: the source is read
 * (its {@code sourceGeneration} selector and {@code ifSource...} preconditions, failures 404 and
 * 412), the destination is created through {@link ObjectOps#create} (its preconditions and rate
 * limit). The destination metadata is the request body's resource when that sets any writable
 * field, else the source's. A rewrite with {@code maxBytesRewrittenPerCall} advances that many
 * bytes per call and answers a {@code rewriteToken} until done; the token is stateless (it names
 * the source generation and the progress), so an abandoned rewrite holds no memory.
 */
final class Rewrites {
  private static final long MIB = 1024 * 1024;
  private static final List<String> WRITABLE =
      List.of(
          "contentType",
          "cacheControl",
          "contentEncoding",
          "contentDisposition",
          "contentLanguage",
          "customTime",
          "metadata",
          "storageClass");

  private final ObjectOps objects;
  private final String baseUrl;

  Rewrites(ObjectOps objects, String baseUrl) {
    this.objects = objects;
    this.baseUrl = baseUrl;
  }

  Response copy(Request request, Route route) {
    StoredObject source = source(request, route);
    Preconditions destination = Preconditions.parse(request.query());
    StoredObject created = write(request, route, source, destination);
    return Response.json(200, Resources.object(created, baseUrl));
  }

  Response rewrite(Request request, Route route) {
    StoredObject source = source(request, route);
    Preconditions destination = Preconditions.parse(request.query());
    long size = source.data().length;
    long done = progress(request, route, source);
    String perCallText = request.param("maxBytesRewrittenPerCall");
    long perCall = perCallText == null ? 0 : Numbers.parse("maxBytesRewrittenPerCall", perCallText);
    if (perCallText != null && (perCall == 0 || perCall % MIB != 0)) {
      throw GcsException.invalid(
          "maxBytesRewrittenPerCall must be a positive multiple of 1048576, got " + perCall + ".");
    }
    long next = perCall == 0 ? size : Math.min(size, done + perCall);
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    out.put("kind", "storage#rewriteResponse");
    out.put("totalBytesRewritten", Long.toString(next));
    out.put("objectSize", Long.toString(size));
    if (next < size) {
      // Fail early, as GCS does; the final call checks again, atomically with the write.
      destination.check(peek(route), false);
      out.put("done", false);
      out.put("rewriteToken", token(route, source, next));
      return Response.json(200, out);
    }
    StoredObject created = write(request, route, source, destination);
    out.put("done", true);
    out.put("resource", Resources.object(created, baseUrl));
    return Response.json(200, out);
  }

  private StoredObject source(Request request, Route route) {
    ObjectId id = Objects.requireNonNull(route.source());
    Map<String, String> q = request.query();
    StoredObject source =
        objects.live(id.bucket(), id.name(), Preconditions.parse(q, "sourceGeneration"));
    new Preconditions(
            Preconditions.parse(q, "ifSourceGenerationMatch"),
            Preconditions.parse(q, "ifSourceGenerationNotMatch"),
            Preconditions.parse(q, "ifSourceMetagenerationMatch"),
            Preconditions.parse(q, "ifSourceMetagenerationNotMatch"))
        .check(source, false);
    return source;
  }

  private @Nullable StoredObject peek(Route route) {
    try {
      return objects.live(route.bucket(), route.object(), null);
    } catch (GcsException e) {
      if (e.status == 404
          && e.getMessage() != null
          && e.getMessage().startsWith("No such object")) {
        return null;
      }
      throw e;
    }
  }

  private StoredObject write(
      Request request, Route route, StoredObject source, Preconditions destination) {
    Map<String, @Nullable Object> body = request.body().length == 0 ? Map.of() : request.jsonBody();
    ObjectMeta meta = source.meta();
    String storageClass = source.storageClass();
    if (WRITABLE.stream().anyMatch(body::containsKey)) {
      meta = Resources.merge(ObjectMeta.EMPTY, body);
      storageClass = ObjectOps.storageClass(body, storageClass);
    }
    ObjectOps.Content content =
        new ObjectOps.Content(
            meta, storageClass, source.data(), source.md5Base64(), source.crc32cBase64());
    return objects.create(route.bucket(), route.object(), content, destination);
  }

  /** The bytes already rewritten according to the request's token (0 without one). */
  private static long progress(Request request, Route route, StoredObject source) {
    String token = request.param("rewriteToken");
    if (token == null || token.isEmpty()) {
      return 0;
    }
    String prefix = tokenPrefix(route, source);
    try {
      String decoded = Urls.utf8(Base64.getUrlDecoder().decode(token));
      if (decoded.startsWith(prefix)) {
        String rest = decoded.substring(prefix.length());
        if (Numbers.isDigits(rest, false) && rest.length() < 19) {
          long done = Long.parseLong(rest);
          if (done <= source.data().length) {
            return done;
          }
        }
      }
    } catch (IllegalArgumentException | GcsException e) {
      // fall through
    }
    throw GcsException.invalid(
        "Invalid rewriteToken: it belongs to another source, source generation or destination.");
  }

  private static String token(Route route, StoredObject source, long done) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((tokenPrefix(route, source) + done).getBytes(StandardCharsets.UTF_8));
  }

  private static String tokenPrefix(Route route, StoredObject source) {
    return "rw1\n"
        + source.bucket()
        + "\n"
        + source.name()
        + "\n"
        + source.generation()
        + "\n"
        + route.bucket()
        + "\n"
        + route.object()
        + "\n";
  }
}
