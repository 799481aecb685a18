package dev.dimutex.benchmarks;

import com.google.cloud.storage.Storage;
import dev.dimutex.emulator.EmulatorStorage;
import dev.dimutex.emulator.GcsEmulator;
import dev.dimutex.emulator.LoggedRequest;
import dev.dimutex.emulator.RequestLog;
import dev.dimutex.emulator.RequestMatcher;
import dev.dimutex.gcs.GcsLockRegistry;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

/** What every scenario shares: the emulator, a client, the profile, the output. */
final class Bench implements AutoCloseable {
  static final String BUCKET = "bench";

  static final String MAX_CONNECTIONS_PROPERTY = "http.maxConnections";

  /** Prefix of every thread the harness itself starts, so the thread count can leave them out. */
  static final String THREAD_PREFIX = "bench-";

  final Profile profile;
  final PrintStream out;
  final GcsEmulator emulator;
  final Storage storage;
  final RawClient raw;

  /** Half the raw client's median create+delete cycle, set by the cycle scenario; NaN before. */
  volatile double loopbackRoundTripNanos = Double.NaN;

  Bench(Profile profile, PrintStream out) {
    this.profile = profile;
    this.out = out;
    // The GCS client's default HTTP transport runs on the JDK's HttpURLConnection, which keeps at
    // most http.maxConnections (default 5) idle connections per host: with more requests in
    // flight, each extra one opens a connection and closes it afterwards, and how many that is
    // depends on how bursty the requests are, not on who sends them. Both the library and the raw
    // client run with 128 (more than the 64 calls either has in flight), as the README advises for
    // registries holding many locks, unless the caller set it (must happen before the JDK's HTTP
    // classes load).
    if (System.getProperty(MAX_CONNECTIONS_PROPERTY) == null) {
      System.setProperty(MAX_CONNECTIONS_PROPERTY, "128");
    }
    this.emulator = GcsEmulator.builder().bucket(BUCKET).start();
    this.storage = EmulatorStorage.create(emulator);
    this.raw = new RawClient(storage, BUCKET);
  }

  RequestLog log() {
    return emulator.requestLog();
  }

  long count(RequestMatcher matcher) {
    return emulator.requestLog().count(matcher);
  }

  /**
   * The requests that arrived at the emulator within [from, to] ({@link System#nanoTime()}), oldest
   * first. The log records a request once its response is written, which can be a moment after the
   * client has returned, so this first waits briefly for such stragglers. Attributing by arrival
   * time is exact for sequential operations: a request an operation sends arrives during the call.
   */
  List<LoggedRequest> arrived(RequestMatcher matcher, long from, long to) {
    sleep(Duration.ofMillis(50));
    List<LoggedRequest> out = new ArrayList<>();
    for (LoggedRequest e : emulator.requestLog().entries()) {
      if (e.startNanos() >= from && e.startNanos() <= to && matcher.matches(e.request())) {
        out.add(e);
      }
    }
    out.sort(Comparator.comparingLong(LoggedRequest::startNanos));
    return out;
  }

  static String describe(List<LoggedRequest> entries) {
    return entries.stream()
        .map(e -> e.request().operation() + " " + e.status())
        .collect(Collectors.joining(", ", "[", "]"));
  }

  RequestMatcher object(String objectName) {
    return RequestMatcher.object(BUCKET, objectName);
  }

  /** A registry builder on the shared client, with the given prefix and otherwise defaults. */
  GcsLockRegistry.Builder registry(String prefix) {
    return GcsLockRegistry.builder(storage, BUCKET).prefix(prefix);
  }

  /** A registry builder on its own client, as a separate process would have. */
  GcsLockRegistry.Builder separateRegistry(String prefix) {
    return GcsLockRegistry.builder(EmulatorStorage.create(emulator), BUCKET).prefix(prefix);
  }

  void progress(String message) {
    out.printf("[%6.1fs] %s%n", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0, message);
    out.flush();
  }

  static ThreadFactory threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, THREAD_PREFIX + name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  static ExecutorService pool(String name, int size) {
    return Executors.newFixedThreadPool(size, threads(name));
  }

  static void shutdown(ExecutorService pool) {
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("benchmark threads did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits for every task; the first failure is rethrown with {@code what} ("a cycle") in its
   * message.
   */
  static void awaitAll(List<? extends Future<?>> futures, String what) {
    try {
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * Runs {@code task} for every index below {@code count} on {@code threads} tasks of {@code pool},
   * each taking the next index; the first failure is rethrown as by {@link #awaitAll}.
   */
  static void parallel(
      ExecutorService pool, int threads, int count, IntConsumer task, String what) {
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                  task.accept(i);
                }
                return null;
              }));
    }
    awaitAll(futures, what);
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(Math.max(0, d.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Used heap after repeated full collections: the retained size of what is reachable. The request
   * log is cleared right before each collection, since refreshes keep adding to it meanwhile.
   */
  long usedHeapAfterGc() {
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      emulator.requestLog().clear();
      System.gc();
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (i >= 2 && Math.abs(used - last) < 64 * 1024) {
        return used;
      }
      last = used;
      sleep(Duration.ofMillis(50));
    }
    return last;
  }

  /** Debugging aid: -Dbench.pause=SECONDS pauses at each heap reading (to take a histogram). */
  static void pauseForInspection(String where) {
    long seconds = Long.getLong("bench.pause", 0);
    if (seconds > 0) {
      System.out.println("pausing " + seconds + " s at " + where);
      sleep(Duration.ofSeconds(seconds));
    }
  }

  @Override
  public void close() {
    emulator.close();
  }
}
