package dev.dimutex.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
  private final HttpTransport transport;
  private final ObjectStore store;
  private final Faults faults;
  private final RequestLog requestLog;
  private final Clock clock;
  private final String baseUrl;
  private final int port;
  private final String projectId;

  private GcsEmulator(Builder b) throws IOException {
    this.clock = b.clock;
    this.projectId = b.projectId;
    this.faults = new Faults(System::nanoTime, b.seed);
    this.requestLog = new RequestLog(b.logCapacity);
    this.store = new ObjectStore(clock);
    for (String bucket : b.buckets) {
      store.createBucket(bucket);
    }
    InetAddress address = InetAddress.getByName(b.host);
    this.transport =
        new HttpTransport(
            new InetSocketAddress(address, b.port),
            new HttpTransport.Settings(b.maxConnections, b.readTimeout, b.idleTimeout));
    this.port = transport.port();
    String host =
        address.isAnyLocalAddress()
            ? "127.0.0.1"
            : (address instanceof java.net.Inet6Address
                ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress());
    this.baseUrl = "http://" + host + ":" + port;
    AdminApi admin = b.adminApi ? new AdminApi(faults, requestLog, clock, store) : null;
    transport.start(
        new GcsHandler(
            store,
            faults,
            requestLog,
            admin,
            new ResumableUploads.Limits(
                b.maxObjectSize, b.maxResumableBuffer, b.maxResumableSessions, b.resumableTimeout),
            b.nanoTime,
            baseUrl));
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
    return baseUrl;
  }

  /**
   * Returns the port the emulator listens on.
   *
   * @return the bound port
   */
  public int port() {
    return port;
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
    store.createBucket(name);
  }

  /**
   * Returns the fault injection of this emulator.
   *
   * @return the faults, shared by all requests
   */
  public Faults faults() {
    return faults;
  }

  /**
   * Returns the log of handled requests.
   *
   * @return the request log
   */
  public RequestLog requestLog() {
    return requestLog;
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
    transport.close();
  }

  @Override
  public String toString() {
    return "GcsEmulator[" + baseUrl + ", project " + projectId + "]";
  }

  /** Options of a {@link GcsEmulator}; {@link #start()} validates them and starts serving. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private Clock clock = Clock.systemUTC();
    private final List<String> buckets = new ArrayList<>();
    private String projectId = "test-project";
    private boolean adminApi;
    private long seed = System.nanoTime();
    private int logCapacity = 100_000;
    private int maxConnections = HttpTransport.Settings.DEFAULT.maxConnections();
    private Duration readTimeout = HttpTransport.Settings.DEFAULT.readTimeout();
    private Duration idleTimeout = HttpTransport.Settings.DEFAULT.idleTimeout();
    private long maxObjectSize = ResumableUploads.Limits.DEFAULT.maxObjectBytes();
    private long maxResumableBuffer = ResumableUploads.Limits.DEFAULT.maxTotalBytes();
    private int maxResumableSessions = ResumableUploads.Limits.DEFAULT.maxSessions();
    private Duration resumableTimeout = ResumableUploads.Limits.DEFAULT.idleTimeout();
    private LongSupplier nanoTime = System::nanoTime;

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
      if (max < 1) {
        throw new IllegalArgumentException("maxConnections must be >= 1, got " + max);
      }
      this.maxConnections = max;
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
      this.readTimeout = positive(timeout, "readTimeout");
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
      this.idleTimeout = positive(timeout, "idleTimeout");
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
      if (bytes < 1 || bytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("maxObjectSize must be in 1..2^31-9, got " + bytes);
      }
      this.maxObjectSize = bytes;
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
      if (bytes < 1) {
        throw new IllegalArgumentException("maxResumableBuffer must be >= 1, got " + bytes);
      }
      this.maxResumableBuffer = bytes;
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
      this.resumableTimeout = positive(timeout, "resumableSessionTimeout");
      return this;
    }

    Builder maxResumableSessions(int max) {
      this.maxResumableSessions = max;
      return this;
    }

    /** The monotonic time of resumable-session expiry (tests pass a fake one). */
    Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = nanoTime;
      return this;
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }

    /**
     * Sets the address to bind.
     *
     * @param host a host name or IP literal; default {@code 127.0.0.1}
     * @return this builder
     */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
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
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets the server clock (for {@code timeCreated}, {@code updated} and generations).
     *
     * @param clock the clock; default {@link Clock#systemUTC()}
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
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
      Objects.requireNonNull(name, "name");
      Bucket.checkNameArgument(name);
      buckets.add(name);
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
      this.projectId = Objects.requireNonNull(id, "id");
      return this;
    }

    /**
     * Enables the admin HTTP API under {@code /_emulator/} (fault rules, request log, counters).
     *
     * @param enabled {@code true} to serve it; default {@code false}
     * @return this builder
     */
    public Builder adminApi(boolean enabled) {
      this.adminApi = enabled;
      return this;
    }

    Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    Builder logCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("log capacity must be >= 1, got " + capacity);
      }
      this.logCapacity = capacity;
      return this;
    }

    /**
     * Starts the emulator.
     *
     * @return the running emulator
     * @throws UncheckedIOException if the server cannot bind
     */
    public GcsEmulator start() {
      try {
        return new GcsEmulator(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the GCS emulator on " + host + ":" + port, e);
      }
    }
  }
}
