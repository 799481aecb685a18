package dev.dimutex.emulator;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The emulator's admin HTTP API, served under {@code /_emulator} only when enabled ({@code --admin}
 * or {@link GcsEmulator.Builder#adminApi(boolean)}). Requests to it are logged as {@link
 * Operation#ADMIN} and are never faulted. All bodies are JSON ({@code Content-Type:
 * application/json}); numbers are plain JSON numbers. Errors use GCS's error shape with status 400
 * (bad JSON or values) or 404 (unknown endpoint).
 *
 * <h2>Endpoints</h2>
 *
 * <ul>
 *   <li>{@code GET /_emulator/faults} → {@code {"rules":[RULE...],"objectMutationRateLimit":N}}:
 *       the active rules in evaluation order, each as given plus {@code "match"} (a description)
 *       and {@code "fired"} (how often it decided an outcome); {@code failNext}/{@code
 *       dropResponseNext} rules also show {@code "remaining"}.
 *   <li>{@code POST /_emulator/faults} with one RULE, or {@code {"rules":[RULE...]}}, or {@code
 *       {"objectMutationRateLimit":N}} (any combination of the last two): adds the rules after the
 *       existing ones and/or sets the rate limit; answers like {@code GET}.
 *   <li>{@code DELETE /_emulator/faults}: removes every rule and the rate limit; 204.
 *   <li>{@code GET /_emulator/requests?after=SEQ&limit=N} → {@code
 *       {"entries":[ENTRY...],"lastSequence":SEQ}}: retained log entries with a sequence greater
 *       than {@code after} (default 0), oldest first, at most {@code limit} (default and maximum
 *       10000). Poll with {@code after} = the last sequence seen to read the log incrementally.
 *   <li>{@code DELETE /_emulator/requests}: clears the log and the counters; 204.
 *   <li>{@code GET /_emulator/counters} → {@code {"total":N,"faultsInjected":N,
 *       "responsesDropped":N,"lastSequence":SEQ,"retained":N,"byOperation":{"OBJECT_INSERT":N,...},
 *       "byStatus":{"200":N,"412":N,...}}} (since the last clear).
 *   <li>{@code GET /_emulator/storage} → {@code
 *       {"buckets":[{"name":"b","objects":N,"bytes":N},...]}}: what the object store holds.
 *   <li>{@code GET /_emulator/time} → {@code {"nanoTime":N,"time":"RFC 3339"}}: the emulator's
 *       monotonic clock (the time base of {@code startNanos} in the log) and its server clock.
 * </ul>
 *
 * <h2>RULE</h2>
 *
 * <pre>
 * {"type":"failNext","count":3,"status":503,"match":MATCH}
 * {"type":"failRate","probability":0.05,"statuses":[429,500,503],"match":MATCH}  (or "status":503)
 * {"type":"dropResponseNext","count":1,"match":MATCH}
 * {"type":"dropRate","probability":0.01,"match":MATCH}
 * {"type":"delay","millis":20,"match":MATCH}
 * {"type":"delay","minMillis":5,"maxMillis":50,"match":MATCH}   (uniform in [min, max])
 * {"type":"objectMutationRateLimit","perSecond":1.0}             (0 turns it off)
 * </pre>
 *
 * <p>{@code failNext}/{@code failRate} answer the status with GCS's error body without applying the
 * request; {@code dropResponseNext}/{@code dropRate} apply the request and close the connection
 * without an answer. {@code "match"} is optional (default: every non-admin request); its fields,
 * all optional and combined with AND: {@code "operations":["OBJECT_INSERT",...]} (names of {@link
 * Operation}), {@code "objectMutations":true}, {@code "methods":["PATCH",...]}, {@code
 * "bucket":"b"}, {@code "object":"name"}, {@code "objectPrefix":"locks/"}.
 *
 * <h2>ENTRY</h2>
 *
 * <pre>
 * {"sequence":17,"method":"POST","path":"/upload/storage/v1/b/b/o","query":{"uploadType":"multipart"},
 *  "operation":"OBJECT_INSERT","bucket":"b","object":"locks/a","status":200,
 *  "startNanos":123456789,"durationNanos":345678,"faultInjected":false,"responseDropped":false}
 * </pre>
 *
 * <p>{@code bucket} and {@code object} are {@code null} when the request addresses none; {@code
 * startNanos} is the emulator's {@link System#nanoTime()} at arrival.
 */
final class AdminApi {
  private static final int MAX_ENTRIES = 10_000;

  private final Faults faults;
  private final RequestLog log;
  private final Clock clock;

  private final ObjectStore store;

  AdminApi(Faults faults, RequestLog log, Clock clock, ObjectStore store) {
    this.faults = faults;
    this.log = log;
    this.clock = clock;
    this.store = store;
  }

  Response handle(Request call) {
    String path = call.rawPath().substring("/_emulator".length());
    if (path.endsWith("/") && path.length() > 1) {
      path = path.substring(0, path.length() - 1);
    }
    switch (path) {
      case "/faults" -> {
        return switch (call.method()) {
          case "GET" -> faultsResponse();
          case "POST" -> {
            requireJson(call);
            FaultRules.add(faults, call.jsonBody());
            yield faultsResponse();
          }
          case "DELETE" -> {
            faults.clear();
            yield Response.empty(204);
          }
          default -> throw methodNotAllowed(call);
        };
      }
      case "/requests" -> {
        return switch (call.method()) {
          case "GET" -> requests(call);
          case "DELETE" -> {
            log.clear();
            yield Response.empty(204);
          }
          default -> throw methodNotAllowed(call);
        };
      }
      case "/counters" -> {
        requireGet(call);
        return Response.json(200, log.counters());
      }
      case "/storage" -> {
        requireGet(call);
        return storage();
      }
      case "/time" -> {
        requireGet(call);
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        out.put("nanoTime", System.nanoTime());
        out.put("time", Resources.time(clock.instant()));
        return Response.json(200, out);
      }
      default ->
          throw new GcsException(
              404,
              "notFound",
              "Unknown admin endpoint "
                  + call.rawPath()
                  + " (known: /_emulator/faults, /_emulator/requests, /_emulator/counters,"
                  + " /_emulator/storage, /_emulator/time).");
    }
  }

  /**
   * Admin POSTs must declare {@code Content-Type: application/json}: a web page can make a browser
   * post a form ({@code text/plain}, {@code application/x-www-form-urlencoded}, {@code
   * multipart/form-data}) to a local port without a CORS preflight, but not a JSON body. (DELETE is
   * never sent cross-origin without a preflight, which this server does not answer.)
   */
  private static void requireJson(Request call) {
    String type = call.header("Content-Type");
    String base = type == null ? "" : type.split(";", 2)[0].strip();
    if (!base.equalsIgnoreCase("application/json")) {
      throw new GcsException(
          415,
          "invalid",
          "Admin API writes need Content-Type: application/json, got "
              + (type == null ? "none" : "'" + type + "'")
              + ".");
    }
  }

  private static void requireGet(Request call) {
    if (!call.method().equals("GET")) {
      throw methodNotAllowed(call);
    }
  }

  private static GcsException methodNotAllowed(Request call) {
    return new GcsException(
        405, "methodNotAllowed", call.method() + " is not allowed on " + call.rawPath());
  }

  /** What the store holds: per bucket, the number of live objects and their bytes. */
  private Response storage() {
    List<Object> buckets = new ArrayList<>();
    for (Bucket b : store.buckets()) {
      long bytes = 0;
      long objects = 0;
      for (StoredObject o : b.objects.values()) {
        objects++;
        bytes += o.data().length;
      }
      Map<String, @Nullable Object> m = new LinkedHashMap<>();
      m.put("name", b.name);
      m.put("objects", objects);
      m.put("bytes", bytes);
      buckets.add(m);
    }
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    out.put("buckets", buckets);
    return Response.json(200, out);
  }

  private Response faultsResponse() {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    out.put("rules", faults.describe());
    out.put("objectMutationRateLimit", faults.mutationRateLimit());
    return Response.json(200, out);
  }

  private Response requests(Request call) {
    long after = longParam(call, "after", 0);
    long limit = Math.min(longParam(call, "limit", MAX_ENTRIES), MAX_ENTRIES);
    List<Object> entries = new ArrayList<>();
    long last = after;
    for (LoggedRequest e : log.entriesAfter(after, (int) Math.max(limit, 0))) {
      entries.add(entry(e));
      last = e.sequence();
    }
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    out.put("entries", entries);
    out.put("lastSequence", last);
    return Response.json(200, out);
  }

  static Map<String, @Nullable Object> entry(LoggedRequest e) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    RequestInfo r = e.request();
    m.put("sequence", e.sequence());
    m.put("method", r.method());
    m.put("path", r.path());
    m.put("query", r.query());
    m.put("operation", r.operation().name());
    m.put("bucket", r.bucket());
    m.put("object", r.object());
    m.put("status", (long) e.status());
    m.put("startNanos", e.startNanos());
    m.put("durationNanos", e.durationNanos());
    m.put("faultInjected", e.faultInjected());
    m.put("responseDropped", e.responseDropped());
    return m;
  }

  private static long longParam(Request call, String name, long defaultValue) {
    String raw = call.param(name);
    return raw == null ? defaultValue : Numbers.parse(name, raw);
  }
}
