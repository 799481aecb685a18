package dev.dimutex.benchmarks;

import dev.dimutex.Lease;
import dev.dimutex.LockListener;
import dev.dimutex.LockLostException;
import dev.dimutex.emulator.LoggedRequest;
import dev.dimutex.emulator.Operation;
import dev.dimutex.emulator.RequestMatcher;
import dev.dimutex.gcs.GcsLockRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One registry with default settings (except ttl and refresh interval in the short profiles)
 * holding a given number of locks while the emulator adds a GCS-like latency to every request: are
 * the refreshes on schedule, and what limits them.
 *
 * <p>On schedule means at least 99 % of the gaps between consecutive confirmed writes of one lock
 * object (its create, then each refresh; completion times from the emulator's request log) are at
 * most the refresh interval + 0.5 s, over a window of a few refresh intervals that starts once the
 * last lock is acquired, and no lease is lost. A window that ends more than that after an object's
 * last write counts one late refresh.
 */
final class LatencyAttempt {
  private LatencyAttempt() {}

  /** Added latency, as the emulator's delay faults inject it before each request. */
  record Latency(int writeMillis, int readMillis) {
    void inject(Bench b) {
      b.emulator.faults().delay(Duration.ofMillis(writeMillis), RequestMatcher.objectMutations());
      b.emulator
          .faults()
          .delay(
              Duration.ofMillis(readMillis),
              RequestMatcher.operation(
                  Operation.OBJECT_GET, Operation.OBJECT_DOWNLOAD, Operation.OBJECT_LIST));
    }

    @Override
    public String toString() {
      return "+" + writeMillis + " ms writes / +" + readMillis + " ms reads";
    }
  }

  /** The outcome of one attempt. */
  record Outcome(
      int locks,
      RefreshGaps.OnTime onTime,
      int lost,
      double acquireSeconds,
      double windowSeconds,
      long patches,
      double askedPerSecond,
      double inFlight,
      long clientCpuNanos,
      long clientThreadNanos,
      long processCpuNanos,
      String jvmWork,
      String sockets,
      @Nullable Shared shared) {

    boolean onSchedule() {
      return onTime.ratio() >= 0.99 && lost == 0;
    }

    double patchesPerSecond() {
      return patches / windowSeconds;
    }

    String describe(Duration interval) {
      return String.format(
          "%d locks: %d of %d refresh gaps <= %s s (%s %%), gap p50 %s ms, p99 %s ms, max %s"
              + " ms; %d lost; %s refreshes/s (locks / interval = %s/s; the library refreshes a"
              + " jittered 75-100 %% of the interval apart); %s requests in flight on average;"
              + " process CPU %s cores (client %s; %s) over the last %s s; %s; acquired in %s s",
          locks,
          onTime.onTime(),
          onTime.onTime() + onTime.late(),
          Results.format(interval.toMillis() / 1000.0 + 0.5),
          Results.format(100 * onTime.ratio()),
          Results.format(onTime.gapP50() / 1e6),
          Results.format(onTime.gapP99() / 1e6),
          Results.format(onTime.gapMax() / 1e6),
          lost,
          Results.format(patchesPerSecond()),
          Results.format(askedPerSecond),
          Results.format(inFlight),
          Results.format(processCpuNanos / 1e9 / windowSeconds),
          Results.format(clientCpuNanos / 1e9 / windowSeconds),
          jvmWork,
          Results.format(windowSeconds),
          sockets,
          Results.format(acquireSeconds));
    }
  }

  static final int ACQUIRE_THREADS = 64;

  /** A raw client sending the lock's conditional PATCH beside the library through the window. */
  record SideBySide(
      RawRefresher raw, String objectPrefix, ExecutorService pool, int threads, double perSecond) {}

  /** Each side's thread CPU and PATCHes over the same CPU window, for side-by-side runs. */
  record Shared(long libraryNanos, long libraryPatches, long rawNanos, long rawPatches) {
    double ratio() {
      return (libraryNanos / (double) libraryPatches) / (rawNanos / (double) rawPatches);
    }
  }

  /** The library's threads: the registry's own, and the JDK's virtual-thread carriers. */
  static boolean isLibraryThread(String name) {
    return name.startsWith("dimutex-") || ThreadCensus.isVirtualThreadScheduler(name);
  }

  /** Acquires {@code n} locks under {@code prefix}, holds them for the window, releases them. */
  static Outcome run(Bench b, Latency latency, String prefix, int n, ExecutorService pool) {
    return run(b, latency, prefix, n, pool, null);
  }

  /** The same, with a raw client sending PATCHes beside the library through the window. */
  static Outcome run(
      Bench b,
      Latency latency,
      String prefix,
      int n,
      ExecutorService pool,
      @Nullable SideBySide side) {
    Profile p = b.profile;
    AtomicInteger lostEvents = new AtomicInteger();
    Lease[] leases = new Lease[n];
    b.log().clear();
    try (GcsLockRegistry registry =
        b.registry(prefix)
            .ttl(p.latencyTtl())
            .refreshInterval(p.latencyRefresh())
            .listener(
                new LockListener() {
                  @Override
                  public void onLost(Lease lease, LockLostException cause) {
                    lostEvents.incrementAndGet();
                  }
                })
            .build()) {
      latency.inject(b);
      b.progress(
          String.format(
              "latency %s: acquiring %d locks with %d threads", latency, n, ACQUIRE_THREADS));
      long t0 = System.nanoTime();
      Bench.parallel(
          pool,
          ACQUIRE_THREADS,
          n,
          i -> leases[i] = registry.obtain("lock-" + i).tryAcquire().orElseThrow(),
          "an acquisition");
      double acquireSeconds = (System.nanoTime() - t0) / 1e9;
      long windowStart = RefreshGaps.lastAcquisitionCompletion(b.log().entries(), prefix);
      long windowEnd = windowStart + (long) (p.latencyRefresh().toNanos() * p.latencyIntervals());
      // CPU is counted over the last two refresh intervals of the window (the last one when the
      // window is shorter than three): by then the refresh path has run for 20 s and is compiled
      // and the acquisitions' garbage collected, as the raw client's two warm-ups do for its side.
      long cpuStart =
          windowEnd
              - (long)
                  (p.latencyRefresh().toNanos()
                      * Math.max(1, Math.min(2, p.latencyIntervals() - 1)));
      b.progress(
          String.format(
              "latency %s: acquired in %s s; holding for %s refresh intervals",
              latency, Results.format(acquireSeconds), Results.format(p.latencyIntervals())));
      ClientCpu.SocketSampler sampler = new ClientCpu.SocketSampler("dimutex-");
      CompletableFuture<Long> rawLoad = null;
      if (side != null) {
        Duration length = Duration.ofNanos(Math.max(0, windowEnd - System.nanoTime()));
        rawLoad =
            CompletableFuture.supplyAsync(
                () -> side.raw().run(side.pool(), side.threads(), side.perSecond(), length),
                runnable -> Bench.threads("side").newThread(runnable).start());
      }
      ClientCpu.Snapshot before = null;
      ThreadCpu threadCpu = null;
      while (System.nanoTime() < windowEnd) {
        if (before == null && System.nanoTime() >= cpuStart) {
          before = ClientCpu.take();
          threadCpu = new ThreadCpu();
        }
        sampler.sample();
        if (threadCpu != null) {
          threadCpu.sample();
        }
        Bench.sleep(Duration.ofMillis(Math.min(500, p.latencyRefresh().toMillis() / 5)));
      }
      if (before == null || threadCpu == null) {
        before = ClientCpu.take();
        threadCpu = new ThreadCpu();
      }
      ClientCpu.Snapshot after = ClientCpu.take();
      threadCpu.sample();
      long clientThreadNanos = threadCpu.nanos(ThreadCpu.CLIENT);
      long libraryNanos = threadCpu.nanos(LatencyAttempt::isLibraryThread);
      long rawNanos = threadCpu.nanos(name -> name.startsWith(Bench.THREAD_PREFIX));
      if (rawLoad != null) {
        rawLoad.join();
      }
      int healthy = 0;
      for (Lease lease : leases) {
        healthy += lease.isHealthy() ? 1 : 0;
      }
      b.emulator.faults().clear();

      List<LoggedRequest> entries = b.log().entries();
      long deadline = p.latencyRefresh().toNanos() + Duration.ofMillis(500).toNanos();
      RefreshGaps.OnTime onTime =
          RefreshGaps.of(entries, prefix + "lock-", windowStart, windowEnd, deadline);
      long patches = patches(entries, prefix, before, after);
      Shared shared =
          side == null
              ? null
              : new Shared(
                  libraryNanos,
                  patches,
                  rawNanos,
                  patches(entries, side.objectPrefix(), before, after));
      Outcome outcome =
          new Outcome(
              n,
              onTime,
              Math.max(lostEvents.get(), n - healthy),
              acquireSeconds,
              after.secondsSince(before),
              patches,
              n / (p.latencyRefresh().toMillis() / 1000.0),
              RefreshGaps.requestsInFlight(entries, prefix, windowStart, windowEnd),
              after.clientNanosSince(before),
              clientThreadNanos,
              after.processNanosSince(before),
              after.jvmWorkSince(before),
              sampler.describe(),
              shared);
      Bench.parallel(pool, ACQUIRE_THREADS, n, i -> releaseQuietly(leases[i]), "a release");
      return outcome;
    } finally {
      b.emulator.faults().clear();
      b.log().clear();
    }
  }

  /** PATCHes of objects under the prefix that started between the two readings. */
  private static long patches(
      List<LoggedRequest> entries,
      String prefix,
      ClientCpu.Snapshot before,
      ClientCpu.Snapshot after) {
    long patches = 0;
    for (LoggedRequest e : entries) {
      String object = e.request().object();
      long start = e.startNanos();
      if (object != null
          && object.startsWith(prefix)
          && e.request().operation() == Operation.OBJECT_PATCH
          && start >= before.wallNanos()
          && start <= after.wallNanos()) {
        patches++;
      }
    }
    return patches;
  }

  private static void releaseQuietly(Lease lease) {
    try {
      lease.release();
    } catch (RuntimeException e) {
      // a lost lease reports here; the outcome counted it already
    }
  }
}
