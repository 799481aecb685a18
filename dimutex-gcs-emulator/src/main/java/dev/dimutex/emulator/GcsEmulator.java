package dev.dimutex.emulator;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * An in-JVM Google Cloud Storage JSON-API server for tests.
 *
 * <p>It serves the subset of the JSON API that clients use for small objects (buckets; media,
 * multipart and resumable uploads; object metadata get, patch, update, delete and list; {@code
 * alt=media} downloads, copies and rewrites, and XML-API object reads {@code GET /bucket/object} as
 * the Go and Node clients send them) with GCS's semantics: the four generation and metageneration
 * preconditions with GCS's status codes, atomic check-and-apply per object, generations unique and
 * increasing per name, metagenerations starting at 1 and increasing on each metadata change, server
 * times from the injectable {@link Clock}, and GCS's JSON error bodies. Anything it does not
 * implement answers 501 with a message naming the feature; malformed requests answer 400. Buckets
 * are not versioned: only the live version of an object exists.
 *
 * <p>It runs its own small HTTP/1.1 server (TCP_NODELAY, keep-alive, chunked request bodies) whose
 * connections are bounded: a {@linkplain Builder#maxConnections cap} on open connections, a
 * {@linkplain Builder#readTimeout read timeout} for each request's head and body and each response,
 * and an {@linkplain Builder#idleTimeout idle timeout} between requests. Every answer, including to
 * malformed HTTP, is in GCS's JSON error shape.
 *
 * <pre>{@code
 * try (GcsEmulator emulator = GcsEmulator.builder().bucket("test-bucket").start()) {
 *   Storage storage = EmulatorStorage.create(emulator);
 *   ...
 * }
 * }</pre>
 */
public final class GcsEmulator implements AutoCloseable {
  private final EmulatorServer server;
  private final Clock clock;
  private final String projectId;

  private GcsEmulator(EmulatorOptions options) {
    this.clock = options.clock;
    this.projectId = options.projectId;
    this.server = EmulatorServer.start(options);
  }

  /**
   * Returns a builder for a customised emulator.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts an emulator on 127.0.0.1 on a free port, with the system UTC clock and no buckets.
   *
   * @return the running emulator
   * @throws UncheckedIOException if the server cannot bind
   */
  public static GcsEmulator start() {
    return builder().start();
  }

  /**
   * Returns the URL clients connect to.
   *
   * @return {@code "http://127.0.0.1:PORT"}, without a trailing slash
   */
  public String baseUrl() {
    return server.baseUrl;
  }

  /**
   * Returns the port the emulator listens on.
   *
   * @return the bound port
   */
  public int port() {
    return server.port;
  }

  /**
   * Creates a bucket if it does not exist yet.
   *
   * @param name the bucket name
   * @throws IllegalArgumentException if the name is not a valid GCS bucket name
   */
  public void createBucket(String name) {
    Objects.requireNonNull(name, "name");
    Bucket.checkNameArgument(name);
    server.store.createBucket(name);
  }

  /**
   * Returns the fault injection of this emulator.
   *
   * @return the faults, shared by all requests
   */
  public Faults faults() {
    return server.faults;
  }

  /**
   * Returns the log of handled requests.
   *
   * @return the request log
   */
  public RequestLog requestLog() {
    return server.requestLog;
  }

  /**
   * Returns the clock that sets {@code timeCreated}, {@code updated} and generations.
   *
   * @return the server clock
   */
  public Clock clock() {
    return clock;
  }

  /** Stops serving (open connections are closed) and frees the port. Idempotent. */
  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "GcsEmulator[" + server.baseUrl + ", project " + projectId + "]";
  }

  /** Options of a {@link GcsEmulator}; {@link #start()} validates them and starts serving. */
  public static final class Builder {
    private final EmulatorOptions options = new EmulatorOptions();

    private Builder() {}

    /**
     * Caps the connections open at once. A connection beyond the cap evicts the one that has waited
     * longest for its next request (idle, or still sending its request line and headers); if every
     * connection is being served, the new one is answered 503.
     *
     * @param max at least 1; default 256
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxConnections(int max) {
      options.maxConnections(max);
      return this;
    }

    /**
     * Bounds how long a client may take to send a request's line and headers, then its body, and to
     * take a response; a connection over it is closed.
     *
     * @param timeout positive; default 30 seconds
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder readTimeout(Duration timeout) {
      options.readTimeout(timeout);
      return this;
    }

    /**
     * Bounds how long a keep-alive connection may wait for its next request before it is closed.
     *
     * @param timeout positive; default 60 seconds
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder idleTimeout(Duration timeout) {
      options.idleTimeout(timeout);
      return this;
    }

    /**
     * Sets the largest object a resumable upload may create (413 {@code uploadTooLarge} beyond it).
     * Media and multipart uploads are limited to 64 MiB request bodies.
     *
     * @param bytes from 1 to 2 GiB - 9; default 256 MiB
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxObjectSize(long bytes) {
      options.maxObjectSize(bytes);
      return this;
    }

    /**
     * Caps the bytes all unfinished resumable uploads may buffer together; beyond it, data answers
     * 503 {@code backendError} until sessions complete, are cancelled or expire.
     *
     * @param bytes at least 1; default 512 MiB
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxResumableBuffer(long bytes) {
      options.maxResumableBuffer(bytes);
      return this;
    }

    /**
     * Sets after how long without a request a resumable upload session is forgotten (with its
     * data); later requests to it answer 404.
     *
     * @param timeout positive; default 10 minutes
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder resumableSessionTimeout(Duration timeout) {
      options.resumableSessionTimeout(timeout);
      return this;
    }

    Builder maxResumableSessions(int max) {
      options.maxResumableSessions(max);
      return this;
    }

    /** The monotonic time of resumable-session expiry (tests pass a fake one). */
    Builder nanoTime(LongSupplier nanoTime) {
      options.nanoTime(nanoTime);
      return this;
    }

    /**
     * Sets the address to bind.
     *
     * @param host a host name or IP literal; default {@code 127.0.0.1}
     * @return this builder
     */
    public Builder host(String host) {
      options.host(host);
      return this;
    }

    /**
     * Sets the port to bind.
     *
     * @param port 0 (the default) for a free port, else 1..65535
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder port(int port) {
      options.port(port);
      return this;
    }

    /**
     * Sets the server clock (for {@code timeCreated}, {@code updated} and generations).
     *
     * @param clock the clock; default {@link Clock#systemUTC()}
     * @return this builder
     */
    public Builder clock(Clock clock) {
      options.clock(clock);
      return this;
    }

    /**
     * Pre-creates a bucket; repeatable.
     *
     * @param name a valid bucket name
     * @return this builder
     * @throws IllegalArgumentException if the name is not a valid GCS bucket name
     */
    public Builder bucket(String name) {
      options.bucket(name);
      return this;
    }

    /**
     * Sets the project the emulator stands for. Informational: bucket insert and list require a
     * {@code project} parameter, as GCS does, but accept any value, since all buckets belong to
     * this one project.
     *
     * @param id the project id; default {@code test-project}
     * @return this builder
     */
    public Builder projectId(String id) {
      options.projectId(id);
      return this;
    }

    /**
     * Enables the admin HTTP API under {@code /_emulator/} (fault rules, request log, counters).
     *
     * @param enabled {@code true} to serve it; default {@code false}
     * @return this builder
     */
    public Builder adminApi(boolean enabled) {
      options.adminApi(enabled);
      return this;
    }

    Builder seed(long seed) {
      options.seed(seed);
      return this;
    }

    Builder logCapacity(int capacity) {
      options.logCapacity(capacity);
      return this;
    }

    /**
     * Starts the emulator.
     *
     * @return the running emulator
     * @throws UncheckedIOException if the server cannot bind
     */
    public GcsEmulator start() {
      return new GcsEmulator(options);
    }
  }
}
