package dev.dimutex.emulator;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The request pipeline of one emulator: route, fault decision, execute, log. The transport parses
 * the request before and sends (or drops) the answer after; it reports a failed send through {@link
 * #sendFailed}, so that the log shows what the client saw.
 */
final class GcsHandler {
  private static final Logger LOG = Logger.getLogger(GcsHandler.class.getName());

  private final Router router;
  private final Faults faults;
  private final RequestLog log;
  private final @Nullable AdminApi admin;
  private final BucketOps buckets;
  private final ObjectOps objects;
  private final Listing listing;
  private final Downloads downloads;
  private final Uploads uploads;
  private final Rewrites rewrites;

  /** What to answer: a response, or none at all (an injected drop); {@code entry} as logged. */
  record Outcome(Response response, boolean drop, @Nullable LoggedRequest entry) {}

  GcsHandler(
      ObjectStore store,
      Faults faults,
      RequestLog log,
      @Nullable AdminApi admin,
      ResumableUploads.Limits uploadLimits,
      java.util.function.LongSupplier nanoTime,
      String baseUrl) {
    this.faults = faults;
    this.log = log;
    this.admin = admin;
    this.objects = new ObjectOps(store, faults, baseUrl);
    this.buckets = new BucketOps(store, baseUrl);
    this.listing = new Listing(store, baseUrl);
    this.downloads = new Downloads(objects);
    ResumableUploads resumable =
        new ResumableUploads(
            (bucket, name, metadata, data, contentType, pre) ->
                objects.create(bucket, name, ObjectOps.uploaded(metadata, data, contentType), pre),
            baseUrl,
            uploadLimits,
            nanoTime);
    this.uploads = new Uploads(store, objects, resumable, baseUrl);
    this.rewrites = new Rewrites(objects, baseUrl);
    this.router = new Router(admin != null, uploads::sessionObjectName);
  }

  Outcome handle(Request request) {
    long start = System.nanoTime();
    Route route = router.route(request);
    RequestInfo info = route.info(request);
    Faults.Decision decision = faults.decide(info);
    boolean injected = false;
    Response response;
    try {
      if (decision.delayNanos() > 0) {
        TimeUnit.NANOSECONDS.sleep(decision.delayNanos());
      }
      if (decision.failStatus() > 0) {
        injected = true;
        response = error(route, GcsException.injected(decision.failStatus()));
      } else {
        response = execute(request, route);
      }
    } catch (GcsException e) {
      injected = e.injected;
      response = error(route, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      response = error(route, new GcsException(503, "backendError", "Emulator shutting down."));
    } catch (RuntimeException | Error e) {
      LOG.log(Level.WARNING, "emulator bug while handling " + info, e);
      response =
          error(route, new GcsException(500, "backendError", "Internal emulator error: " + e));
    }
    response = headerSafe(response, route, info);
    boolean drop = decision.drop() && decision.failStatus() == 0;
    // Log before answering: once a client sees the response, the log already shows the request.
    // Admin requests are not logged, so that polling the log does not change it.
    LoggedRequest entry = null;
    if (info.operation() != Operation.ADMIN) {
      entry =
          log.add(info, response.status, start, System.nanoTime() - start, injected || drop, drop);
    }
    return new Outcome(response, drop, entry);
  }

  /** Records that the client got no (complete) answer, and why. */
  void sendFailed(Outcome outcome, Exception e) {
    LOG.log(
        Level.WARNING,
        "could not send the " + outcome.response().status + " answer: " + e,
        e instanceof java.io.IOException ? null : e);
    if (outcome.entry() != null) {
      log.markNotAnswered(outcome.entry());
    }
  }

  /**
   * The response, or a 500 if one of its header values could not be sent as is (a control
   * character); stored metadata is validated on the way in, so this is a last line of defence.
   */
  private static Response headerSafe(Response response, Route route, RequestInfo info) {
    for (var header : response.headers.entrySet()) {
      try {
        Resources.checkHeaderSafe(header.getKey(), header.getValue());
      } catch (GcsException e) {
        LOG.warning("emulator bug: unsafe " + header.getKey() + " header for " + info);
        return error(
            route,
            new GcsException(
                500, "backendError", "Internal emulator error: unsafe " + header.getKey()));
      }
    }
    return response;
  }

  private static Response error(Route route, GcsException e) {
    return route.kind() == Route.Kind.XML_DOWNLOAD ? Response.xmlError(e) : Response.error(e);
  }

  private Response execute(Request request, Route route) {
    return switch (route.kind()) {
      case FAILED -> throw Objects.requireNonNull(route.error());
      case ADMIN -> Objects.requireNonNull(admin).handle(request);
      case BUCKETS ->
          route.operation() == Operation.BUCKET_LIST
              ? listing.buckets(request)
              : buckets.insert(request);
      case BUCKET ->
          route.operation() == Operation.BUCKET_GET
              ? buckets.get(request, route)
              : buckets.delete(request, route);
      case STORAGE_LAYOUT -> buckets.storageLayout(request, route);
      case LIST -> listing.objects(request, route);
      case OBJECT ->
          switch (route.operation()) {
            case OBJECT_GET -> objects.get(request, route);
            case OBJECT_PATCH, OBJECT_UPDATE -> objects.update(request, route);
            default -> objects.delete(request, route);
          };
      case DOWNLOAD -> downloads.json(request, route);
      case XML_DOWNLOAD -> downloads.xml(request, route);
      case UPLOAD -> uploads.upload(request, route);
      case RESUMABLE_CHUNK -> uploads.chunk(request);
      case COPY -> rewrites.copy(request, route);
      case REWRITE -> rewrites.rewrite(request, route);
    };
  }
}
