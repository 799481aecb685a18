package dev.dimutex.emulator;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The options of one {@link GcsEmulator}, with their defaults and range checks: the state behind
 * {@link GcsEmulator.Builder}, whose setters delegate here, read once by {@link EmulatorServer}
 * when the emulator starts. The fields are read in this package but assigned only by this class's
 * methods, each of which rejects a bad value with a message naming the option.
 */
final class EmulatorOptions {
  static final String DEFAULT_HOST = "127.0.0.1";
  static final String DEFAULT_PROJECT_ID = "test-project";
  static final int DEFAULT_LOG_CAPACITY = 100_000;

  String host = DEFAULT_HOST;
  int port;
  Clock clock = Clock.systemUTC();
  final List<String> buckets = new ArrayList<>();
  String projectId = DEFAULT_PROJECT_ID;
  boolean adminApi;
  long seed = System.nanoTime();
  int logCapacity = DEFAULT_LOG_CAPACITY;
  int maxConnections = HttpTransport.Settings.DEFAULT.maxConnections();
  Duration readTimeout = HttpTransport.Settings.DEFAULT.readTimeout();
  Duration idleTimeout = HttpTransport.Settings.DEFAULT.idleTimeout();
  long maxObjectSize = ResumableUploads.Limits.DEFAULT.maxObjectBytes();
  long maxResumableBuffer = ResumableUploads.Limits.DEFAULT.maxTotalBytes();
  int maxResumableSessions = ResumableUploads.Limits.DEFAULT.maxSessions();
  Duration resumableTimeout = ResumableUploads.Limits.DEFAULT.idleTimeout();
  LongSupplier nanoTime = System::nanoTime;

  void host(String host) {
    this.host = Objects.requireNonNull(host, "host");
  }

  void port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + port);
    }
    this.port = port;
  }

  void clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  void bucket(String name) {
    Objects.requireNonNull(name, "name");
    Bucket.checkNameArgument(name);
    buckets.add(name);
  }

  void projectId(String id) {
    this.projectId = Objects.requireNonNull(id, "id");
  }

  void adminApi(boolean enabled) {
    this.adminApi = enabled;
  }

  void seed(long seed) {
    this.seed = seed;
  }

  void logCapacity(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("log capacity must be >= 1, got " + capacity);
    }
    this.logCapacity = capacity;
  }

  void maxConnections(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("maxConnections must be >= 1, got " + max);
    }
    this.maxConnections = max;
  }

  void readTimeout(Duration timeout) {
    this.readTimeout = positive(timeout, "readTimeout");
  }

  void idleTimeout(Duration timeout) {
    this.idleTimeout = positive(timeout, "idleTimeout");
  }

  void maxObjectSize(long bytes) {
    if (bytes < 1 || bytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxObjectSize must be in 1..2^31-9, got " + bytes);
    }
    this.maxObjectSize = bytes;
  }

  void maxResumableBuffer(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("maxResumableBuffer must be >= 1, got " + bytes);
    }
    this.maxResumableBuffer = bytes;
  }

  void resumableSessionTimeout(Duration timeout) {
    this.resumableTimeout = positive(timeout, "resumableSessionTimeout");
  }

  void maxResumableSessions(int max) {
    this.maxResumableSessions = max;
  }

  void nanoTime(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  HttpTransport.Settings transportSettings() {
    return new HttpTransport.Settings(maxConnections, readTimeout, idleTimeout);
  }

  ResumableUploads.Limits uploadLimits() {
    return new ResumableUploads.Limits(
        maxObjectSize, maxResumableBuffer, maxResumableSessions, resumableTimeout);
  }

  private static Duration positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
  }
}
