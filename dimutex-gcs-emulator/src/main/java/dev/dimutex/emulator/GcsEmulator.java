package dev.dimutex.emulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-JVM Google Cloud Storage JSON-API server for tests.
 *
 * <p>It serves the subset of the JSON API that clients use for small objects (buckets; media,
 * multipart and resumable uploads; object metadata get, patch, update, delete and list; {@code
 * alt=media} downloads, and XML-API object reads {@code GET /bucket/object} as the Go and Node
 * clients send them) with GCS's semantics: the four generation and metageneration preconditions
 * with GCS's status codes, atomic check-and-apply per object, generations unique and increasing per
 * name, metagenerations starting at 1 and increasing on each metadata change, server times from the
 * injectable {@link Clock}, and GCS's JSON error bodies. Anything it does not implement answers 501
 * with a message naming the feature; malformed requests answer 400. Buckets are not versioned: only
 * the live version of an object exists.
 *
 * <p>It runs on the JDK's {@code com.sun.net.httpserver} and sets the system property {@code
 * sun.net.httpserver.nodelay=true} (unless already set) before its first server starts: without
 * TCP_NODELAY each request waits for a delayed ACK, about 40 ms on loopback instead of about 1 ms.
 *
 * <pre>{@code
 * try (GcsEmulator emulator = GcsEmulator.builder().bucket("test-bucket").start()) {
 *   Storage storage = EmulatorStorage.create(emulator);
 *   ...
 * }
 * }</pre>
 */
public final class GcsEmulator implements AutoCloseable {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  static {
    // Without TCP_NODELAY, the JDK server's separate header and body writes meet the client's
    // delayed ACK and every request costs about 40 ms on loopback instead of about 1 ms. The JDK
    // reads this property once, when the first HttpServer of the JVM is created.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final GcsHandler handler;
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
    this.handler = new GcsHandler(clock, faults, requestLog, b.adminApi);
    for (String bucket : b.buckets) {
      handler.createBucket(bucket);
    }
    InetAddress address = InetAddress.getByName(b.host);
    this.server = HttpServer.create(new InetSocketAddress(address, b.port), 512);
    int id = INSTANCES.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "gcs-emulator-" + id + "-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.executor = Executors.newCachedThreadPool(factory);
    server.setExecutor(executor);
    server.createContext("/", handler);
    server.start();
    this.port = server.getAddress().getPort();
    String host =
        address.isAnyLocalAddress()
            ? "127.0.0.1"
            : (address instanceof java.net.Inet6Address
                ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress());
    this.baseUrl = "http://" + host + ":" + port;
    handler.baseUrl = baseUrl;
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
    handler.createBucket(name);
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
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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

    private Builder() {}

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
