package dev.dimutex.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.dimutex.emulator.Call.Route;
import dev.dimutex.emulator.StoredObject.ObjectMeta;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/** Parses, faults, applies, answers and logs every request of one emulator. */
final class GcsHandler implements HttpHandler {
  private static final Logger LOG = Logger.getLogger(GcsHandler.class.getName());
  static final int MAX_BODY_BYTES = 64 * 1024 * 1024;
  private static final int MAX_LIST_RESULTS = 1000;
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

  final ConcurrentSkipListMap<String, Bucket> buckets = new ConcurrentSkipListMap<>();
  private final ResumableUploads resumable = new ResumableUploads(this::insert);
  private final AtomicLong lastGeneration = new AtomicLong();
  private final Clock clock;
  private final Faults faults;
  private final RequestLog log;
  private final @Nullable AdminApi admin;
  volatile String baseUrl = "";

  GcsHandler(Clock clock, Faults faults, RequestLog log, boolean adminEnabled) {
    this.clock = clock;
    this.faults = faults;
    this.log = log;
    this.admin = adminEnabled ? new AdminApi(faults, log, clock) : null;
  }

  // ---------------------------------------------------------------- HTTP plumbing

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    Call call = parse(exchange);
    RequestInfo info = call.info();
    Faults.Decision decision = faults.decide(info);
    boolean injected = false;
    Response response;
    try {
      if (decision.delayNanos() > 0) {
        TimeUnit.NANOSECONDS.sleep(decision.delayNanos());
      }
      if (decision.failStatus() > 0) {
        injected = true;
        response = error(call, GcsException.injected(decision.failStatus()));
      } else if (call.error != null) {
        response = error(call, call.error);
      } else {
        response = execute(call);
      }
    } catch (GcsException e) {
      injected = e.injected;
      response = error(call, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      response = error(call, new GcsException(503, "backendError", "Emulator shutting down."));
    } catch (RuntimeException | Error e) {
      LOG.log(Level.WARNING, "emulator bug while handling " + info, e);
      response =
          error(call, new GcsException(500, "backendError", "Internal emulator error: " + e));
    }
    boolean drop = decision.drop() && decision.failStatus() == 0;
    // Log before answering: once a client sees the response, the log already shows the request.
    // Admin requests are not logged, so that polling the log does not change it.
    if (info.operation() != Operation.ADMIN) {
      log.add(info, response.status, start, System.nanoTime() - start, injected || drop, drop);
    }
    if (drop) {
      // No response at all. Throwing (rather than exchange.close()) lets the JDK server close the
      // connection through its own cleanup path; close() alone leaves about 5 KB of connection
      // state behind per dropped response.
      throw new DroppedResponse();
    } else {
      send(exchange, call, response);
    }
  }

  /** Thrown to the JDK server to close a connection without answering (fault injection). */
  static final class DroppedResponse extends IOException {
    private static final long serialVersionUID = 1L;

    DroppedResponse() {
      super("response dropped by fault injection", null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  private static Response error(Call call, GcsException e) {
    return call.route == Route.XML_DOWNLOAD ? Response.xmlError(e) : Response.error(e);
  }

  private static void send(HttpExchange exchange, Call call, Response response) throws IOException {
    try {
      response.headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      boolean noBody =
          response.status == 204
              || response.status == 304
              || call.method.equals("HEAD")
              || response.body.length == 0;
      exchange.sendResponseHeaders(response.status, noBody ? -1 : response.body.length);
      if (!noBody) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response.body);
        }
      }
    } finally {
      exchange.close();
    }
  }

  private Call parse(HttpExchange exchange) {
    URI uri = exchange.getRequestURI();
    String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
    if (override != null && method.equals("POST")) {
      method = override.trim().toUpperCase(Locale.ROOT);
    }
    Map<String, String> query = Map.of();
    GcsException error = null;
    try {
      query = Urls.parseQuery(uri.getRawQuery());
    } catch (GcsException e) {
      error = e;
    }
    byte[] body = new byte[0];
    try {
      body = readBody(exchange);
    } catch (GcsException e) {
      error = error == null ? e : error;
    } catch (IOException e) {
      error = error == null ? GcsException.invalid("Could not read the request body: " + e) : error;
    }
    Call call = new Call(method, rawPath, query, exchange.getRequestHeaders(), body);
    call.error = error;
    try {
      classify(call);
    } catch (GcsException e) {
      if (call.error == null) {
        call.error = e;
      }
    }
    return call;
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    byte[] raw = in.readNBytes(MAX_BODY_BYTES + 1);
    if (raw.length > MAX_BODY_BYTES) {
      in.close();
      throw bodyTooLarge();
    }
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding != null && encoding.trim().equalsIgnoreCase("gzip") && raw.length > 0) {
      try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        byte[] inflated = gz.readNBytes(MAX_BODY_BYTES + 1);
        if (inflated.length > MAX_BODY_BYTES) {
          throw bodyTooLarge();
        }
        return inflated;
      } catch (IOException e) {
        throw GcsException.invalid("The gzip-encoded request body is corrupt.");
      }
    }
    return raw;
  }

  private static GcsException bodyTooLarge() {
    return new GcsException(
        413, "uploadTooLarge", "Request bodies are limited to " + MAX_BODY_BYTES + " bytes.");
  }

  // ---------------------------------------------------------------- classification

  private void classify(Call call) {
    String path = call.rawPath;
    if (path.equals("/_emulator") || path.startsWith("/_emulator/")) {
      if (admin != null) {
        call.route = Route.ADMIN;
        call.operation = Operation.ADMIN;
        call.adminPath = path.substring("/_emulator".length());
      } else {
        call.error =
            new GcsException(
                404, "notFound", "The admin API is disabled (start the emulator with --admin).");
      }
      return;
    }
    if (call.error != null) {
      return;
    }
    if (!METHODS.contains(call.method)) {
      throw new GcsException(405, "methodNotAllowed", "Method not allowed: " + call.method);
    }
    String rest;
    Route objectRoute;
    if (path.startsWith("/storage/v1/")) {
      rest = path.substring("/storage/v1/".length());
      objectRoute = Route.OBJECT;
    } else if (path.startsWith("/upload/storage/v1/")) {
      rest = path.substring("/upload/storage/v1/".length());
      objectRoute = Route.UPLOAD;
    } else if (path.startsWith("/download/storage/v1/")) {
      rest = path.substring("/download/storage/v1/".length());
      objectRoute = Route.DOWNLOAD;
    } else {
      classifyXml(call, path);
      return;
    }
    if (!(rest.equals("b") || rest.startsWith("b/"))) {
      throw GcsException.notImplemented("the resource " + path);
    }
    String afterB = rest.equals("b") ? "" : rest.substring(2);
    if (afterB.isEmpty()) {
      if (objectRoute != Route.OBJECT) {
        throw GcsException.notImplemented(call.method + " " + path);
      }
      call.route = Route.BUCKETS;
      call.operation =
          switch (call.method) {
            case "GET", "HEAD" -> Operation.BUCKET_LIST;
            case "POST" -> Operation.BUCKET_INSERT;
            default -> throw GcsException.notImplemented(call.method + " on the bucket list");
          };
      return;
    }
    int slash = afterB.indexOf('/');
    String bucket = Urls.decodePath(slash < 0 ? afterB : afterB.substring(0, slash));
    call.bucket = bucket;
    String afterBucket = slash < 0 ? "" : afterB.substring(slash + 1);
    if (afterBucket.isEmpty()) {
      if (objectRoute != Route.OBJECT) {
        throw GcsException.notImplemented(call.method + " " + path);
      }
      call.route = Route.BUCKET;
      call.operation =
          switch (call.method) {
            case "GET", "HEAD" -> Operation.BUCKET_GET;
            case "DELETE" -> Operation.BUCKET_DELETE;
            default ->
                throw GcsException.notImplemented(
                    call.method + " on a bucket (bucket patch/update)");
          };
      return;
    }
    if (!(afterBucket.equals("o") || afterBucket.startsWith("o/"))) {
      String sub = afterBucket.contains("/") ? afterBucket.split("/", 2)[0] : afterBucket;
      throw GcsException.notImplemented("the bucket sub-resource '" + Urls.decodePath(sub) + "'");
    }
    String objectPart = afterBucket.equals("o") ? "" : afterBucket.substring(2);
    if (objectRoute == Route.UPLOAD) {
      if (!objectPart.isEmpty()) {
        throw GcsException.notImplemented(call.method + " " + path);
      }
      classifyUpload(call);
      return;
    }
    if (objectPart.isEmpty()) {
      if (objectRoute == Route.DOWNLOAD) {
        throw GcsException.notImplemented(call.method + " " + path);
      }
      call.route = Route.OBJECTS;
      call.operation =
          switch (call.method) {
            case "GET", "HEAD" -> Operation.OBJECT_LIST;
            case "POST" ->
                throw GcsException.notImplemented(
                    "metadata-only object insert (upload data to /upload/storage/v1/b/"
                        + bucket
                        + "/o)");
            default -> throw GcsException.notImplemented(call.method + " on the object list");
          };
      return;
    }
    int sub = objectPart.indexOf('/');
    if (sub >= 0) {
      String second = objectPart.substring(sub + 1).split("/", 2)[0];
      if (Set.of("compose", "copyTo", "rewriteTo", "acl", "restore", "iam").contains(second)) {
        call.object = Urls.decodePath(objectPart.substring(0, sub));
        throw GcsException.notImplemented("the object operation '" + second + "'");
      }
    }
    if (objectPart.equals("watch") && call.method.equals("POST")) {
      throw GcsException.notImplemented("object change notifications (watch)");
    }
    String name = Urls.decodePath(objectPart);
    call.object = name;
    if (objectRoute == Route.DOWNLOAD) {
      if (!call.method.equals("GET") && !call.method.equals("HEAD")) {
        throw GcsException.notImplemented(call.method + " on /download");
      }
      call.route = Route.DOWNLOAD;
      call.operation = Operation.OBJECT_DOWNLOAD;
      return;
    }
    call.route = Route.OBJECT;
    call.operation =
        switch (call.method) {
          case "GET", "HEAD" ->
              "media".equals(call.query.get("alt"))
                  ? Operation.OBJECT_DOWNLOAD
                  : Operation.OBJECT_GET;
          case "PATCH" -> Operation.OBJECT_PATCH;
          case "PUT" -> Operation.OBJECT_UPDATE;
          case "DELETE" -> Operation.OBJECT_DELETE;
          default -> throw GcsException.notImplemented(call.method + " on an object");
        };
  }

  /** The XML API: only object reads ({@code GET/HEAD /bucket/object}) are served. */
  private static void classifyXml(Call call, String path) {
    int slash = path.indexOf('/', 1);
    boolean read = call.method.equals("GET") || call.method.equals("HEAD");
    if (!read || slash < 2 || slash == path.length() - 1) {
      throw GcsException.notImplemented(
          call.method
              + " "
              + path
              + " (served: the JSON API under /storage/v1, /upload/storage/v1 and"
              + " /download/storage/v1, and XML-API object reads GET /{bucket}/{object})");
    }
    call.route = Route.XML_DOWNLOAD;
    call.operation = Operation.OBJECT_DOWNLOAD;
    call.bucket = Urls.decodePath(path.substring(1, slash));
    call.object = Urls.decodePath(path.substring(slash + 1));
  }

  private void classifyUpload(Call call) {
    call.route = Route.UPLOAD;
    String uploadId = call.query.get("upload_id");
    if (uploadId != null) {
      call.object = resumable.objectName(uploadId);
      if (call.method.equals("PUT") || call.method.equals("POST")) {
        call.operation = isFinalChunk(call) ? Operation.OBJECT_INSERT : Operation.OTHER;
      } else if (!call.method.equals("DELETE")) {
        throw GcsException.notImplemented(call.method + " on a resumable upload session");
      }
      return;
    }
    if (!call.method.equals("POST")) {
      throw GcsException.notImplemented(call.method + " on /upload without upload_id");
    }
    String type = call.query.get("uploadType");
    if (type == null) {
      throw GcsException.required("uploadType");
    }
    call.object = call.query.get("name");
    switch (type) {
      case "media" -> {
        call.operation = Operation.OBJECT_INSERT;
        call.uploadData = call.body;
        call.uploadContentType = call.header("Content-Type");
      }
      case "multipart" -> {
        call.operation = Operation.OBJECT_INSERT;
        String boundary = Multipart.boundary(call.header("Content-Type"));
        List<Multipart.Part> parts = Multipart.parse(call.body, boundary);
        call.uploadMetadata = jsonObject(parts.get(0).body());
        call.uploadData = parts.get(1).body();
        call.uploadContentType = parts.get(1).headers().get("content-type");
        if (call.object == null && call.uploadMetadata.get("name") instanceof String n) {
          call.object = n;
        }
      }
      case "resumable" -> {
        call.operation = Operation.RESUMABLE_START;
        call.uploadMetadata = call.body.length == 0 ? new LinkedHashMap<>() : jsonObject(call.body);
        if (call.object == null && call.uploadMetadata.get("name") instanceof String n) {
          call.object = n;
        }
      }
      default ->
          throw GcsException.invalid(
              "Invalid uploadType '" + type + "' (expected media, multipart or resumable).");
    }
  }

  private static boolean isFinalChunk(Call call) {
    String range = call.header("Content-Range");
    if (range == null) {
      return true;
    }
    String r = range.trim();
    return !r.endsWith("/*") || r.endsWith("-*/*");
  }

  static Map<String, @Nullable Object> jsonObject(byte[] body) {
    try {
      return Json.parseObject(Urls.utf8(body));
    } catch (Json.ParseException e) {
      throw GcsException.invalid("Invalid JSON in the request body: " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- dispatch

  private Response execute(Call call) {
    return switch (call.route) {
      case ADMIN -> Objects.requireNonNull(admin).handle(call);
      case BUCKETS ->
          call.operation == Operation.BUCKET_LIST ? listBuckets(call) : insertBucket(call);
      case BUCKET -> call.operation == Operation.BUCKET_GET ? getBucket(call) : deleteBucket(call);
      case OBJECTS -> listObjects(call);
      case OBJECT ->
          switch (call.operation) {
            case OBJECT_GET -> getObject(call);
            case OBJECT_DOWNLOAD -> download(call);
            case OBJECT_PATCH, OBJECT_UPDATE -> updateObject(call);
            case OBJECT_DELETE -> deleteObject(call);
            default -> throw GcsException.notImplemented(call.method + " " + call.rawPath);
          };
      case DOWNLOAD -> download(call);
      case XML_DOWNLOAD -> xmlDownload(call);
      case UPLOAD -> upload(call);
      case UNSUPPORTED -> throw GcsException.notImplemented(call.method + " " + call.rawPath);
    };
  }

  private String base(Call call) {
    String host = call.header("Host");
    if (host != null && !host.isBlank() && host.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
      return "http://" + host;
    }
    return baseUrl;
  }

  // ---------------------------------------------------------------- buckets

  /** Creates a bucket unless it exists; the caller has validated the name. */
  void createBucket(String name) {
    buckets.computeIfAbsent(name, n -> new Bucket(n, clock.instant()));
  }

  private Bucket bucket(@Nullable String name) {
    Bucket b = name == null ? null : buckets.get(name);
    if (b == null) {
      throw GcsException.bucketNotFound(String.valueOf(name));
    }
    return b;
  }

  private Response insertBucket(Call call) {
    requireProject(call);
    Map<String, @Nullable Object> json = jsonObject(call.body);
    if (!(json.get("name") instanceof String name)) {
      throw GcsException.required("resource.name");
    }
    call.bucket = name;
    Bucket.validateName(name);
    Bucket created = new Bucket(name, clock.instant());
    if (buckets.putIfAbsent(name, created) != null) {
      throw new GcsException(
          409,
          "conflict",
          "Your previous request to create the named bucket succeeded and you already own it.");
    }
    return Response.json(200, Resources.bucket(created, base(call)));
  }

  /** Bucket insert and list need a project, as on GCS; any value is accepted. */
  private static void requireProject(Call call) {
    String project = call.query.get("project");
    if (project == null || project.isEmpty()) {
      throw GcsException.required("project");
    }
  }

  private Response getBucket(Call call) {
    Bucket b = bucket(call.bucket);
    checkBucketPreconditions(call, true);
    return Response.json(200, Resources.bucket(b, base(call)));
  }

  private static void checkBucketPreconditions(Call call, boolean read) {
    Long match = Preconditions.parse(call.query, "ifMetagenerationMatch");
    Long notMatch = Preconditions.parse(call.query, "ifMetagenerationNotMatch");
    if (match != null && match != 1) {
      throw GcsException.preconditionFailed();
    }
    if (notMatch != null && notMatch == 1) {
      throw read ? GcsException.notModified() : GcsException.preconditionFailed();
    }
  }

  private Response deleteBucket(Call call) {
    Bucket b = bucket(call.bucket);
    checkBucketPreconditions(call, false);
    b.lifecycle.writeLock().lock();
    try {
      if (b.deleted) {
        throw GcsException.bucketNotFound(b.name);
      }
      if (!b.objects.isEmpty()) {
        throw new GcsException(409, "conflict", "The bucket you tried to delete is not empty.");
      }
      b.deleted = true;
      buckets.remove(b.name, b);
    } finally {
      b.lifecycle.writeLock().unlock();
    }
    return Response.empty(204);
  }

  private Response listBuckets(Call call) {
    requireProject(call);
    String prefix = call.query.getOrDefault("prefix", "");
    int max = maxResults(call);
    PageToken after = pageToken(call);
    List<Object> items = new ArrayList<>();
    boolean more = false;
    for (Bucket b : buckets.values()) {
      if (!b.name.startsWith(prefix) || (after != null && after.skips(b.name))) {
        continue;
      }
      if (items.size() == max) {
        more = true;
        break;
      }
      items.add(Resources.bucket(b, base(call)));
    }
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    out.put("kind", "storage#buckets");
    if (more) {
      out.put("nextPageToken", encodeToken("b", lastName(items)));
    }
    if (!items.isEmpty()) {
      out.put("items", items);
    }
    return Response.json(200, out);
  }

  @SuppressWarnings("unchecked")
  private static String lastName(List<Object> items) {
    return (String) ((Map<String, Object>) items.get(items.size() - 1)).get("name");
  }

  private static int maxResults(Call call) {
    String raw = call.query.get("maxResults");
    if (raw == null) {
      return MAX_LIST_RESULTS;
    }
    long value;
    try {
      value = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw GcsException.invalid("Invalid argument for maxResults: '" + raw + "'.");
    }
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

  /** Where a listing resumes: after {@code name}, and past every name under it if a prefix. */
  record PageToken(String name, boolean prefix) {
    boolean skips(String candidate) {
      return Bucket.NAME_ORDER.compare(candidate, name) <= 0
          || (prefix && candidate.startsWith(name));
    }
  }

  private static @Nullable PageToken pageToken(Call call) {
    String token = call.query.get("pageToken");
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

  // ---------------------------------------------------------------- objects

  private long nextGeneration() {
    Instant now = clock.instant();
    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    return lastGeneration.updateAndGet(prev -> Math.max(prev + 1, micros));
  }

  private static @Nullable Long generationParam(Call call) {
    return Preconditions.parse(call.query, "generation");
  }

  private StoredObject live(Call call) {
    return live(bucket(call.bucket), Objects.requireNonNull(call.object), generationParam(call));
  }

  /** The live object of that name, of that generation if one is given. */
  private static StoredObject live(Bucket b, String name, @Nullable Long generation) {
    StoredObject o = b.objects.get(name);
    if (o == null || (generation != null && generation != o.generation())) {
      throw GcsException.objectNotFound(b.name, name);
    }
    return o;
  }

  private Response getObject(Call call) {
    Preconditions pre = Preconditions.parse(call.query);
    StoredObject o = live(call);
    pre.check(o, true);
    return Response.json(200, Resources.object(o, base(call)));
  }

  private Response xmlDownload(Call call) {
    Preconditions pre =
        new Preconditions(
            headerPrecondition(call, "x-goog-if-generation-match"),
            null,
            headerPrecondition(call, "x-goog-if-metageneration-match"),
            null);
    StoredObject o = live(call);
    pre.check(o, true);
    return download(call, o)
        .header("ETag", "\"" + hex(Base64.getDecoder().decode(o.md5Base64())) + "\"")
        .header(
            "Last-Modified",
            DateTimeFormatter.RFC_1123_DATE_TIME.format(o.updated().atOffset(ZoneOffset.UTC)));
  }

  private static @Nullable Long headerPrecondition(Call call, String header) {
    String value = call.header(header);
    return value == null ? null : Preconditions.parse(Map.of(header, value), header);
  }

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }

  private Response download(Call call) {
    Preconditions pre = Preconditions.parse(call.query);
    StoredObject o = live(call);
    pre.check(o, true);
    return download(call, o);
  }

  private static Response download(Call call, StoredObject o) {
    byte[] data = o.data();
    int status = 200;
    byte[] body = data;
    String contentRange = null;
    String range = call.header("Range");
    if (range != null && data.length > 0) {
      long[] r = parseRange(range, data.length);
      if (r != null) {
        body = java.util.Arrays.copyOfRange(data, (int) r[0], (int) r[1] + 1);
        if (body.length != data.length) {
          status = 206;
          contentRange = "bytes " + r[0] + "-" + r[1] + "/" + data.length;
        }
      }
    }
    ObjectMeta meta = o.meta();
    Response response =
        new Response(
                status,
                meta.contentType() == null ? "application/octet-stream" : meta.contentType(),
                body)
            .header("X-Goog-Generation", Long.toString(o.generation()))
            .header("X-Goog-Metageneration", Long.toString(o.metageneration()))
            .header("X-Goog-Stored-Content-Length", Integer.toString(data.length))
            .header("X-Goog-Stored-Content-Encoding", "identity")
            .header("X-Goog-Hash", "crc32c=" + o.crc32cBase64() + ",md5=" + o.md5Base64())
            .header("ETag", "\"" + o.etag() + "\"");
    if (meta.cacheControl() != null) {
      response.header("Cache-Control", meta.cacheControl());
    }
    if (contentRange != null) {
      response.header("Content-Range", contentRange);
    }
    return response;
  }

  /** Returns inclusive {start, end}, or {@code null} to ignore an unparseable header. */
  private static long @Nullable [] parseRange(String header, long size) {
    String h = header.trim();
    if (!h.startsWith("bytes=") || h.contains(",")) {
      return null;
    }
    String spec = h.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      long start;
      long end;
      if (a.isEmpty()) {
        long suffix = Long.parseLong(b);
        start = Math.max(0, size - suffix);
        end = size - 1;
      } else {
        start = Long.parseLong(a);
        end = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
      }
      if (start >= size || start > end || start < 0) {
        throw new GcsException(
            416, "requestedRangeNotSatisfiable", "The requested range cannot be satisfied.");
      }
      return new long[] {start, end};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private Response updateObject(Call call) {
    Preconditions pre = Preconditions.parse(call.query);
    Map<String, @Nullable Object> json = jsonObject(call.body);
    boolean patch = call.operation == Operation.OBJECT_PATCH;
    StoredObject updated =
        Objects.requireNonNull(
            mutateLive(
                call,
                pre,
                o -> {
                  ObjectMeta meta = Resources.merge(patch ? o.meta() : ObjectMeta.EMPTY, json);
                  Resources.checkCustomTime(o.meta(), meta);
                  return o.withMeta(meta, clock.instant());
                }));
    return Response.json(200, Resources.object(updated, base(call)));
  }

  private Response deleteObject(Call call) {
    mutateLive(call, Preconditions.parse(call.query), o -> null);
    return Response.empty(204);
  }

  /**
   * Replaces the live object a call names with what {@code change} returns ({@code null} deletes
   * it), atomically: under the bucket's lifecycle lock and the name's stripe, after the per-object
   * mutation limit and the preconditions.
   */
  private @Nullable StoredObject mutateLive(
      Call call, Preconditions pre, Function<StoredObject, @Nullable StoredObject> change) {
    Bucket b = bucket(call.bucket);
    String name = Objects.requireNonNull(call.object);
    Long generation = generationParam(call);
    b.lifecycle.readLock().lock();
    try {
      if (b.deleted) {
        throw GcsException.bucketNotFound(b.name);
      }
      synchronized (b.stripe(name)) {
        StoredObject o = live(b, name, generation);
        if (!faults.tryMutate(b.name, name)) {
          throw GcsException.rateLimited(b.name, name);
        }
        pre.check(o, false);
        StoredObject next = change.apply(o);
        if (next == null) {
          b.objects.remove(name);
        } else {
          b.objects.put(name, next);
        }
        return next;
      }
    } finally {
      b.lifecycle.readLock().unlock();
    }
  }

  private Response listObjects(Call call) {
    Bucket b = bucket(call.bucket);
    Map<String, String> q = call.query;
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
    int max = maxResults(call);
    PageToken after = pageToken(call);
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
        items.add(Resources.object(o, base(call)));
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

  // ---------------------------------------------------------------- uploads

  private Response upload(Call call) {
    String uploadId = call.query.get("upload_id");
    if (uploadId != null) {
      return resumable.chunk(call, uploadId, base(call));
    }
    if (call.operation == Operation.RESUMABLE_START) {
      return startResumable(call);
    }
    Map<String, @Nullable Object> metadata =
        call.uploadMetadata == null ? new LinkedHashMap<>() : call.uploadMetadata;
    StoredObject o =
        insert(
            call.bucket,
            call.object,
            metadata,
            Objects.requireNonNull(call.uploadData),
            call.uploadContentType,
            Preconditions.parse(call.query));
    return Response.json(200, Resources.object(o, base(call)));
  }

  private StoredObject insert(
      @Nullable String bucketName,
      @Nullable String name,
      Map<String, @Nullable Object> metadata,
      byte[] data,
      @Nullable String dataContentType,
      Preconditions pre) {
    Bucket b = bucket(bucketName);
    if (name == null) {
      throw GcsException.required("name");
    }
    ObjectNames.validate(name);
    ObjectMeta meta = Resources.merge(ObjectMeta.EMPTY, metadata);
    if (meta.contentType() == null && dataContentType != null && !dataContentType.isBlank()) {
      meta =
          new ObjectMeta(
              dataContentType,
              meta.cacheControl(),
              meta.contentEncoding(),
              meta.contentDisposition(),
              meta.contentLanguage(),
              meta.customTime(),
              meta.metadata());
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
    String storageClass = "STANDARD";
    if (metadata.get("storageClass") instanceof String sc) {
      if (!Set.of("STANDARD", "NEARLINE", "COLDLINE", "ARCHIVE").contains(sc)) {
        throw GcsException.invalid("Invalid storageClass '" + sc + "'.");
      }
      storageClass = sc;
    }
    b.lifecycle.readLock().lock();
    try {
      if (b.deleted) {
        throw GcsException.bucketNotFound(b.name);
      }
      synchronized (b.stripe(name)) {
        if (!faults.tryMutate(b.name, name)) {
          throw GcsException.rateLimited(b.name, name);
        }
        pre.check(b.objects.get(name), false);
        Instant now = clock.instant();
        StoredObject o =
            new StoredObject(
                b.name, name, nextGeneration(), 1, data, meta, storageClass, now, now, md5, crc32c);
        b.objects.put(name, o);
        return o;
      }
    } finally {
      b.lifecycle.readLock().unlock();
    }
  }

  private static String md5(byte[] data) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String crc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    long v = crc.getValue();
    byte[] bytes = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    return Base64.getEncoder().encodeToString(bytes);
  }

  private Response startResumable(Call call) {
    Bucket b = bucket(call.bucket);
    String name = call.object;
    if (name == null) {
      throw GcsException.required("name");
    }
    ObjectNames.validate(name);
    Map<String, @Nullable Object> metadata =
        call.uploadMetadata == null ? new LinkedHashMap<>() : call.uploadMetadata;
    Resources.merge(ObjectMeta.EMPTY, metadata); // validates now rather than at the end
    return resumable.start(
        b.name,
        name,
        metadata,
        call.header("X-Upload-Content-Type"),
        Preconditions.parse(call.query),
        base(call));
  }
}
