package dev.dimutex.emulator;

import dev.dimutex.emulator.Route.Kind;
import dev.dimutex.emulator.Route.ObjectId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Classifies requests by a table: one row per method of the storage v1 discovery document (each
 * either implemented, with the {@link Kind} that executes it, or answered 501 naming the method),
 * plus the upload, download and XML-API paths. Pure apart from looking up resumable sessions.
 */
final class Router {
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
  private static final String JSON = "/storage/v1/";
  private static final List<String> UPLOAD_PREFIXES =
      List.of("/upload/storage/v1/", "/resumable/upload/storage/v1/");
  private static final String DOWNLOAD = "/download/storage/v1/";

  private record Target(Kind kind, Operation operation) {}

  /** One row: HTTP methods, path template below its prefix, and what it maps to. */
  private record Rule(
      String id,
      Set<String> methods,
      List<String> template,
      boolean greedy,
      boolean media,
      @Nullable Target target) {}

  private static final Map<String, Target> IMPLEMENTED =
      Map.ofEntries(
          Map.entry("storage.buckets.list", new Target(Kind.BUCKETS, Operation.BUCKET_LIST)),
          Map.entry("storage.buckets.insert", new Target(Kind.BUCKETS, Operation.BUCKET_INSERT)),
          Map.entry("storage.buckets.get", new Target(Kind.BUCKET, Operation.BUCKET_GET)),
          Map.entry("storage.buckets.delete", new Target(Kind.BUCKET, Operation.BUCKET_DELETE)),
          Map.entry(
              "storage.buckets.getStorageLayout",
              new Target(Kind.STORAGE_LAYOUT, Operation.BUCKET_STORAGE_LAYOUT)),
          Map.entry("storage.objects.list", new Target(Kind.LIST, Operation.OBJECT_LIST)),
          Map.entry("storage.objects.get", new Target(Kind.OBJECT, Operation.OBJECT_GET)),
          Map.entry("storage.objects.patch", new Target(Kind.OBJECT, Operation.OBJECT_PATCH)),
          Map.entry("storage.objects.update", new Target(Kind.OBJECT, Operation.OBJECT_UPDATE)),
          Map.entry("storage.objects.delete", new Target(Kind.OBJECT, Operation.OBJECT_DELETE)),
          Map.entry("storage.objects.copy", new Target(Kind.COPY, Operation.OBJECT_COPY)),
          Map.entry("storage.objects.rewrite", new Target(Kind.REWRITE, Operation.OBJECT_REWRITE)));

  /** Object names may contain unencoded slashes in these: the name is the rest of the path. */
  private static final Set<String> GREEDY =
      Set.of(
          "storage.objects.get",
          "storage.objects.patch",
          "storage.objects.update",
          "storage.objects.delete");

  private static final List<Rule> JSON_RULES = jsonRules();
  private static final List<Rule> DOWNLOAD_RULES =
      List.of(
          new Rule(
              "storage.objects.get (download)",
              Set.of("GET", "HEAD"),
              List.of("b", "{bucket}", "o", "{object}"),
              true,
              false,
              new Target(Kind.DOWNLOAD, Operation.OBJECT_DOWNLOAD)));

  private final boolean adminEnabled;
  private final UploadRouter uploads;

  Router(boolean adminEnabled, Function<String, @Nullable String> sessionObjectNames) {
    this.adminEnabled = adminEnabled;
    this.uploads = new UploadRouter(sessionObjectNames);
  }

  private static List<Rule> jsonRules() {
    List<Rule> rules = new ArrayList<>();
    for (DiscoveryMethods.Method m : DiscoveryMethods.ALL) {
      Set<String> methods =
          m.httpMethod().equals("GET") ? Set.of("GET", "HEAD") : Set.of(m.httpMethod());
      List<String> template = List.of(m.path().split("/"));
      boolean greedy = GREEDY.contains(m.id());
      Target target = IMPLEMENTED.get(m.id());
      if (m.id().equals("storage.objects.get")) {
        rules.add(
            new Rule(
                m.id(),
                methods,
                template,
                true,
                true,
                new Target(Kind.DOWNLOAD, Operation.OBJECT_DOWNLOAD)));
      }
      rules.add(new Rule(m.id(), methods, template, greedy, false, target));
    }
    // Fixed paths before templates, greedy object names last.
    rules.sort(Comparator.comparing(Rule::greedy));
    return List.copyOf(rules);
  }

  /** Classifies a request; never throws (a malformed or unimplemented one gets a FAILED route). */
  Route route(Request request) {
    String path = request.rawPath();
    if (path.equals("/_emulator") || path.startsWith("/_emulator/")) {
      return adminEnabled
          ? new Route(Kind.ADMIN, Operation.ADMIN, null, null)
          : Route.failed(
              new GcsException(
                  404, "notFound", "The admin API is disabled (start the emulator with --admin)."),
              null,
              null);
    }
    if (request.error() != null) {
      return Route.failed(request.error(), null, null);
    }
    if (!METHODS.contains(request.method())) {
      return Route.failed(
          new GcsException(405, "methodNotAllowed", "Method not allowed: " + request.method()),
          null,
          null);
    }
    try {
      Urls.decodePath(path); // a bad escape anywhere in the path answers 400 before routing
      if (path.startsWith(JSON)) {
        return match(request, JSON_RULES, path.substring(JSON.length()));
      }
      if (path.startsWith(DOWNLOAD)) {
        return match(request, DOWNLOAD_RULES, path.substring(DOWNLOAD.length()));
      }
      for (String prefix : UPLOAD_PREFIXES) {
        if (path.startsWith(prefix)) {
          return uploads.route(request, path.substring(prefix.length()));
        }
      }
      return xml(request, path);
    } catch (GcsException e) {
      return Route.failed(e, null, null);
    }
  }

  private static Route match(Request request, List<Rule> rules, String rest) {
    List<String> segments = new ArrayList<>(Arrays.asList(rest.split("/", -1)));
    Rule pathMatch = null;
    for (Rule rule : rules) {
      Map<String, String> vars = bind(rule, segments);
      if (vars == null) {
        continue;
      }
      if (pathMatch == null) {
        pathMatch = rule;
      }
      if (!rule.methods.contains(request.method())
          || (rule.media && !"media".equals(request.param("alt")))) {
        continue;
      }
      String bucket = decoded(vars, "bucket", "sourceBucket", "destinationBucket");
      String object = decoded(vars, "object", "sourceObject", "destinationObject");
      Target target = rule.target;
      if (target == null) {
        return Route.failed(unimplemented(rule), bucket, object);
      }
      if (target.kind() == Kind.COPY || target.kind() == Kind.REWRITE) {
        ObjectId source = new ObjectId(dec(vars, "sourceBucket"), dec(vars, "sourceObject"));
        return new Route(
            target.kind(),
            target.operation(),
            dec(vars, "destinationBucket"),
            dec(vars, "destinationObject"),
            source,
            null,
            null);
      }
      return new Route(target.kind(), target.operation(), bucket, object);
    }
    String what = request.method() + " " + request.rawPath();
    if (pathMatch != null) {
      return Route.failed(
          GcsException.notImplemented(
              what + " (the path of " + pathMatch.id + ", which has no " + request.method() + ")"),
          null,
          null);
    }
    return Route.failed(GcsException.notImplemented(what), null, null);
  }

  private static GcsException unimplemented(Rule rule) {
    if (rule.id.equals("storage.objects.insert")) {
      return GcsException.notImplemented(
          "metadata-only object insert (upload data to /upload/storage/v1/b/{bucket}/o)");
    }
    return GcsException.notImplemented(
        "the storage v1 method "
            + rule.id
            + " ("
            + String.join(" ", rule.methods)
            + " /storage/v1/"
            + String.join("/", rule.template)
            + ")");
  }

  /** Binds a template to path segments: raw variable values, or {@code null} if no match. */
  private static @Nullable Map<String, String> bind(Rule rule, List<String> segments) {
    List<String> segs = segments;
    int n = rule.template.size();
    if (!rule.greedy && segs.size() == n + 1 && segs.get(n).isEmpty()) {
      segs = segs.subList(0, n); // one trailing slash is tolerated
    }
    if (rule.greedy ? segs.size() < n : segs.size() != n) {
      return null;
    }
    Map<String, String> vars = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String t = rule.template.get(i);
      boolean last = i == n - 1;
      String value =
          last && rule.greedy ? String.join("/", segs.subList(i, segs.size())) : segs.get(i);
      if (t.startsWith("{")) {
        if (value.isEmpty() && !t.equals("{bucket}")) {
          return null;
        }
        vars.put(t.substring(1, t.length() - 1), value);
      } else if (!t.equals(value)) {
        return null;
      }
    }
    return vars;
  }

  private static String dec(Map<String, String> vars, String name) {
    return Urls.decodePath(vars.getOrDefault(name, ""));
  }

  private static @Nullable String decoded(Map<String, String> vars, String... names) {
    for (String name : names) {
      String raw = vars.get(name);
      if (raw != null) {
        return Urls.decodePath(raw);
      }
    }
    return null;
  }

  /** The XML API: only object reads ({@code GET/HEAD /bucket/object}) are served. */
  private static Route xml(Request request, String path) {
    int slash = path.indexOf('/', 1);
    boolean read = request.method().equals("GET") || request.method().equals("HEAD");
    if (!read || slash < 2 || slash == path.length() - 1) {
      throw GcsException.notImplemented(
          request.method()
              + " "
              + path
              + " (served: the JSON API under /storage/v1, /upload/storage/v1,"
              + " /resumable/upload/storage/v1 and /download/storage/v1, and XML-API object reads"
              + " GET /{bucket}/{object})");
    }
    return new Route(
        Kind.XML_DOWNLOAD,
        Operation.OBJECT_DOWNLOAD,
        Urls.decodePath(path.substring(1, slash)),
        Urls.decodePath(path.substring(slash + 1)));
  }
}
