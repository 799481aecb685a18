package dev.dimutex.benchmarks;

import dev.dimutex.Lease;
import dev.dimutex.LockListener;
import dev.dimutex.LockLostException;
import dev.dimutex.gcs.GcsLockRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * One registry holding many locks at once: how many, with how many library threads, how much
 * retained heap per lock, and whether the refreshes keep up.
 *
 * <ul>
 *   <li>Threads: live threads while holding, minus those alive before the registry was built (after
 *       warming the emulator and the client at the same concurrency), minus threads that belong to
 *       the emulator, the JDK's HTTP client or the JVM (recognized by name; the list is printed).
 *   <li>Heap: used heap after repeated full GCs, before and after acquiring, minus the emulator's
 *       own retained size for the same number of lock objects (measured by storing replicas of a
 *       real lock object with the raw client), divided by the number of locks. The request log is
 *       cleared before each reading.
 *   <li>Refresh on time: from the emulator's request log, the completion times of every successful
 *       write (create, then each refresh) per lock object over a window of several refresh
 *       intervals that starts after the last acquisition. A refresh is on time if it completes
 *       within two refresh intervals of the previous confirmed write (well inside the TTL, and
 *       loose enough for the library's jitter); a window that ends more than that after the last
 *       write counts a missed refresh. Lost leases come from {@link LockListener#onLost} and from
 *       {@link Lease#isHealthy()} at the end of the window.
 * </ul>
 */
final class Scale {
  private Scale() {}

  private static final int THREADS = 8;

  /** The registry builder's default {@code maxConcurrentStoreCalls}. */
  private static final int DEFAULT_MAX_STORE_CALLS = 64;

  static void run(Bench b, Results r) {
    Profile p = b.profile;
    int n = p.scaleLocks();
    String prefix = "scale/";
    if (!p.isFull()) {
      r.remark(
          "scale run ("
              + p.name()
              + "): holds "
              + n
              + " locks with ttl "
              + p.scaleTtl().toSeconds()
              + " s / refresh "
              + p.scaleRefresh().toMillis()
              + " ms; the full run holds "
              + Profile.FULL_SCALE_LOCKS
              + " with the default ttl 60 s / refresh 10 s");
    }
    ExecutorService pool = Bench.pool("scale", THREADS);
    AtomicInteger lostEvents = new AtomicInteger();
    AtomicInteger refreshFailures = new AtomicInteger();
    GcsLockRegistry registry = null;
    try {
      // Warm the emulator and the client at the run's concurrency so their threads exist already.
      parallel(pool, Math.min(400, n), i -> b.raw.cycle("scale-warm/w" + i));
      Duration patchBaseline =
          p.isFull()
              ? Duration.ofSeconds(3)
              : n >= 1000 ? Duration.ofSeconds(1) : Duration.ofMillis(200);
      double rawPatchRate = rawPatchRate(b, pool, 4, patchBaseline);
      Map<Long, Thread> before = ThreadCensus.liveThreads();

      registry =
          b.registry(prefix)
              .ttl(p.scaleTtl())
              .refreshInterval(p.scaleRefresh())
              .listener(
                  new LockListener() {
                    @Override
                    public void onLost(Lease lease, LockLostException cause) {
                      lostEvents.incrementAndGet();
                    }

                    @Override
                    public void onRefreshFailed(Lease lease, Throwable cause) {
                      refreshFailures.incrementAndGet();
                    }
                  })
              .build();
      GcsLockRegistry reg = registry;
      for (int i = 0; i < Math.min(50, n); i++) {
        reg.obtain("warm-" + i).tryAcquire().orElseThrow().release();
      }
      Lease[] leases = new Lease[n];
      long heapBefore = b.usedHeapAfterGc();
      Bench.pauseForInspection("heap before");

      b.progress("scale: acquiring " + n + " locks with " + THREADS + " threads");
      long t0 = System.nanoTime();
      parallel(pool, n, i -> leases[i] = reg.obtain("lock-" + i).tryAcquire().orElseThrow());
      double acquireSeconds = (System.nanoTime() - t0) / 1e9;

      long windowStart = RefreshGaps.lastAcquisitionCompletion(b.log().entries(), prefix);
      Duration window = Duration.ofNanos((long) (p.scaleRefresh().toNanos() * p.scaleIntervals()));
      b.progress(
          String.format(
              "scale: acquired in %s s; holding for %s s (%s refresh intervals)",
              Results.format(acquireSeconds),
              Results.format(window.toMillis() / 1000.0),
              Results.format(p.scaleIntervals())));
      long windowEnd = windowStart + window.toNanos();
      // Library threads sampled through the window, not only at its end: an elastic pool's size
      // follows the calls in flight.
      List<Integer> threadSamples = new ArrayList<>();
      long holdEnd = windowEnd + Duration.ofMillis(300).toNanos();
      while (System.nanoTime() < holdEnd) {
        threadSamples.add(
            ThreadCensus.classify(before, ThreadCensus.liveThreads()).library().size());
        Bench.sleep(
            Duration.ofNanos(Math.min(500_000_000L, Math.max(0, holdEnd - System.nanoTime()))));
      }
      double inFlight =
          RefreshGaps.requestsInFlight(b.log().entries(), prefix, windowStart, windowEnd);

      int healthy = 0;
      for (Lease lease : leases) {
        if (lease != null && lease.isHealthy()) {
          healthy++;
        }
      }
      int lost = Math.max(lostEvents.get(), n - healthy);
      long deadline = 2 * p.scaleRefresh().toNanos();
      RefreshGaps.OnTime onTime =
          RefreshGaps.of(b.log().entries(), prefix + "lock-", windowStart, windowEnd, deadline);
      Map<Long, Thread> during = ThreadCensus.liveThreads();

      long heapHeld = b.usedHeapAfterGc();
      Bench.pauseForInspection("heap held");

      // The emulator's own share: replicas of a real lock object, stored by the raw client.
      RawClient control = new RawClient(b.storage, Bench.BUCKET);
      control.copyShapeOf(prefix + "lock-0");
      parallel(pool, n, i -> control.create("scale-control/lock-" + i));
      long heapWithReplicas = b.usedHeapAfterGc();
      long emulatorShare = heapWithReplicas - heapHeld;
      double perLock = (heapHeld - heapBefore - emulatorShare) / (double) n;

      ThreadCensus.ThreadCount threads = ThreadCensus.classify(before, during);

      AtomicInteger releaseFailures = new AtomicInteger();
      long r0 = System.nanoTime();
      parallel(
          pool,
          n,
          i -> {
            try {
              leases[i].release();
            } catch (RuntimeException e) {
              releaseFailures.incrementAndGet();
            }
            leases[i] = null;
          });
      double releaseSeconds = (System.nanoTime() - r0) / 1e9;
      double keptPerLock = (b.usedHeapAfterGc() - heapBefore - emulatorShare) / (double) n;

      r.put(
          "scale_held_locks",
          healthy,
          "10000 (full run)",
          p.isFull() ? healthy >= Profile.FULL_SCALE_LOCKS : null,
          String.format(
              "healthy leases held at once at the end of the window (%d requested; acquired"
                  + " in %s s with %d threads, released in %s s, %d release failures)%s",
              n,
              Results.format(acquireSeconds),
              THREADS,
              Results.format(releaseSeconds),
              releaseFailures.get(),
              p.isFull() ? "" : "; not a full run, so the 10 000 goal does not apply"));
      threadSamples.add(threads.library().size());
      int maxThreads = threadSamples.stream().mapToInt(Integer::intValue).max().orElse(0);
      // With virtual threads (JDK 21+) the store calls need no platform thread of their own;
      // without
      // them the elastic pool holds a thread per call in flight, up to maxConcurrentStoreCalls.
      boolean virtual = Runtime.version().feature() >= 21;
      int threadGoal = virtual ? 4 : 1 + DEFAULT_MAX_STORE_CALLS;
      r.put(
          "scale_library_threads",
          maxThreads,
          virtual ? "<= 4" : "<= " + threadGoal + " (JDK < 21: 1 timer + maxConcurrentStoreCalls)",
          maxThreads <= threadGoal,
          String.format(
                  "most library threads seen in %d samples through the window (every 0.5 s; median"
                      + " %s), not counting the emulator's, the HTTP client's or the JVM's; the"
                      + " emulator saw %s requests in flight on average; at the window's end:"
                      + " library %s; not counted: %s",
                  threadSamples.size(),
                  Results.format(Stats.median(threadSamples)),
                  Results.format(inFlight),
                  ThreadCensus.summarize(threads.library()),
                  ThreadCensus.summarize(threads.excluded()))
              + (virtual
                  ? "; store calls run on virtual threads here"
                  : "; without virtual threads the store calls run on a pool that adds a thread"
                      + " when none is idle and ends one idle for 2 s, so it holds about as many"
                      + " threads as calls in flight; on loopback with the emulator in this"
                      + " process the CPU is the limit at 1 000 refreshes/s, calls queue for it,"
                      + " and the pool grows towards its cap")
              + (maxThreads <= threadGoal ? "" : "; MISSED: more threads than the goal"));
      r.put(
          "scale_heap_bytes_per_lock",
          perLock,
          "<= 2048",
          perLock <= 2048,
          String.format(
              "retained heap: %s MiB more while holding %d locks, of which the emulator's lock"
                  + " objects %s MiB (measured with %d replicas); library share per lock %s B;"
                  + " after releasing them all the library still retains %s B per released name",
              Results.format((heapHeld - heapBefore) / 1048576.0),
              n,
              Results.format(emulatorShare / 1048576.0),
              n,
              Results.format(perLock),
              Results.format(keptPerLock)));
      double ratio = onTime.ratio();
      r.put(
          "scale_refresh_on_time_ratio",
          ratio,
          ">= 0.999 and 0 lost",
          ratio >= 0.999 && lost == 0,
          String.format(
                  "%d of %d refreshes within 2 x refresh interval (%s ms) of the previous write,"
                      + " over %s s (%s intervals) with %d locks (ttl %s s); gap between writes p50"
                      + " %s ms, p99 %s ms, max %s ms; refresh writes rejected: %d; onRefreshFailed"
                      + " events: %d; lost leases: %d; for scale: the raw client doing the same"
                      + " conditional PATCH from 4 threads as fast as it can manages %s/s on this"
                      + " machine, and this run asks for %s/s%s",
                  onTime.onTime(),
                  onTime.onTime() + onTime.late(),
                  deadline / 1_000_000,
                  Results.format(window.toMillis() / 1000.0),
                  Results.format(p.scaleIntervals()),
                  n,
                  p.scaleTtl().toSeconds(),
                  Results.format(onTime.gapP50() / 1e6),
                  Results.format(onTime.gapP99() / 1e6),
                  Results.format(onTime.gapMax() / 1e6),
                  onTime.rejected(),
                  refreshFailures.get(),
                  lost,
                  Results.format(rawPatchRate),
                  Results.format(n / (p.scaleRefresh().toMillis() / 1000.0)),
                  onTime.truncated() ? "; WARNING: the request log overflowed" : "")
              + (ratio >= 0.999 && lost == 0
                  ? ""
                  : "; MISSED because: the refreshes did not keep up with the rate asked;"
                      + " compare the raw 4-thread PATCH rate with the rate this run asks for"));
    } finally {
      if (registry != null) {
        registry.close();
      }
      Bench.shutdown(pool);
      b.log().clear();
    }
  }

  /** Conditional PATCHes per second that the raw client sustains from the given threads. */
  private static double rawPatchRate(Bench b, ExecutorService pool, int threads, Duration length) {
    List<Future<Long>> futures = new ArrayList<>();
    long end = System.nanoTime() + length.toNanos();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                var blob = b.raw.create("scale-patch/o-" + thread);
                if (blob == null) {
                  throw new IllegalStateException("patch baseline object exists already");
                }
                long done = 0;
                while (System.nanoTime() < end) {
                  blob = b.raw.patch(blob);
                  done++;
                }
                b.raw.delete(blob);
                return done;
              }));
    }
    long total = 0;
    try {
      for (Future<Long> f : futures) {
        total += f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("patch baseline failed: " + e.getCause(), e.getCause());
    }
    return total / ((System.nanoTime() - start) / 1e9);
  }

  private static void parallel(ExecutorService pool, int count, IntConsumer task) {
    Bench.parallel(pool, THREADS, count, task, "a scale task");
  }
}
