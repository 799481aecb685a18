package dev.dimutex.benchmarks;

import dev.dimutex.Lease;
import dev.dimutex.gcs.GcsLockRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * Scale at GCS-like latency (issue 12): how many held locks one registry with default settings
 * keeps on schedule when the emulator adds +30 ms to writes and +15 ms to reads, and +60 / +30 ms;
 * and the client CPU per refresh of the library against the raw client doing the same conditional
 * PATCH at the same rate (so with the same concurrency in flight), side by side in one run.
 *
 * <p>Each latency checks the profile's target count; on a miss it halves the count, up to the
 * profile's number of tries, so the figure is the largest count checked that held (0 if none did).
 */
final class LatencyScale {
  private LatencyScale() {}

  static final LatencyAttempt.Latency L30 = new LatencyAttempt.Latency(30, 15);
  static final LatencyAttempt.Latency L60 = new LatencyAttempt.Latency(60, 30);

  /** The raw client's threads: the registry's default cap on store calls in flight. */
  private static final int RAW_THREADS = 64;

  static void run30(Bench b, Results r) {
    Profile p = b.profile;
    ExecutorService pool = Bench.pool("latency", LatencyAttempt.ACQUIRE_THREADS + RAW_THREADS);
    RawRefresher raw = null;
    try {
      RawClient client = new RawClient(b.storage, Bench.BUCKET);
      try (GcsLockRegistry shape = b.registry("latency-shape/").build()) {
        Lease lease = shape.obtain("lock").tryAcquire().orElseThrow();
        client.copyShapeOf("latency-shape/lock");
        lease.release();
      }
      int n = p.latency30Locks();
      double asked = n / (p.latencyRefresh().toMillis() / 1000.0);
      // Enough objects that each is patched at most every 2 s (GCS sustains about 1 write/s each).
      raw =
          RawRefresher.create(
              client, "latency-raw/o-", (int) Math.min(n, Math.ceil(asked * 2)), pool, 64);
      // Warm-up, not counted: the first PATCHes of a JVM run cold (interpreted) code, which would
      // make the raw client look expensive.
      Side warmUp = rawSide(b, raw, pool, asked);

      List<LatencyAttempt.Outcome> tries = search(b, L30, "lat30/", n, pool);
      LatencyAttempt.Outcome first = tries.get(0);
      // CPU side by side: a second run of the same count, with the raw client sending the same
      // PATCH at the library's rate from its own threads through the same window, so that JIT,
      // GC and the machine's load fall on both sides alike; each side's threads are counted apart.
      // (Measured one after the other, the raw client's own 20 s windows spread by 10-20 %.)
      b.progress("latency " + L30 + ": the library and the raw client side by side");
      LatencyAttempt.Outcome both =
          LatencyAttempt.run(
              b,
              L30,
              "lat30cpu/",
              n,
              pool,
              new LatencyAttempt.SideBySide(
                  raw, "latency-raw/o-", pool, RAW_THREADS, first.patchesPerSecond()));
      LatencyAttempt.Shared shared = both.shared();
      if (shared == null) {
        throw new IllegalStateException("the side-by-side run measured no raw side");
      }
      // Sequentially, for comparison (not the goal): the raw client alone right after.
      Side rawSide = rawSide(b, raw, pool, first.patchesPerSecond());

      putLocks(p, r, "latency30_locks_on_schedule", L30, n, tries);
      boolean ok = first.onSchedule();
      r.put(
          "latency30_refresh_on_time_ratio",
          first.onTime().ratio(),
          ">= 0.99 and 0 lost",
          ok,
          String.format(
                  "at %s with %d locks (ttl %s s, refresh %s s): %s",
                  L30,
                  n,
                  p.latencyTtl().toSeconds(),
                  Results.format(p.latencyRefresh().toMillis() / 1000.0),
                  first.describe(p.latencyRefresh()))
              + (ok ? "" : "; MISSED because: " + limit(first)));

      double ratio = shared.ratio();
      double libAlone = first.clientThreadNanos() / (double) first.patches();
      double rawAlone = rawSide.threadNanos() / (double) rawSide.patches();
      r.put(
          "latency30_client_cpu_per_refresh_ratio",
          ratio,
          "<= 1.05",
          ratio <= 1.05,
          String.format(
                  "CPU per PATCH of each side's own threads (ThreadMXBean; no GC or JIT threads,"
                      + " which both sides and the emulator share) at %s, side by side in one"
                      + " window: %d locks refreshed by the library (its threads and the JDK's"
                      + " virtual-thread carriers) %s ms per refresh (%d PATCHes), and the raw"
                      + " client sending the same conditional PATCH from %d threads at the same"
                      + " rate %s ms (%d PATCHes), over the last %s s of the window (%s);"
                      + " measured one after the other, for comparison only: library alone %s ms"
                      + " (first run), raw alone right after %s ms (%s); the raw client's warm-up"
                      + " before the library ran, not counted, %s ms",
                  L30,
                  n,
                  Results.format(shared.libraryNanos() / 1e6 / shared.libraryPatches()),
                  shared.libraryPatches(),
                  RAW_THREADS,
                  Results.format(shared.rawNanos() / 1e6 / shared.rawPatches()),
                  shared.rawPatches(),
                  Results.format(both.windowSeconds()),
                  both.jvmWork(),
                  Results.format(libAlone / 1e6),
                  Results.format(rawAlone / 1e6),
                  rawSide.jvmWork(),
                  Results.format(warmUp.threadNanos() / 1e6 / warmUp.patches()))
              + (ratio <= 1.05
                  ? ""
                  : "; MISSED because: the library's threads spent more CPU per refresh than the"
                      + " raw client's (its timer, hand-off to the I/O executor, bookkeeping)"));
    } finally {
      if (raw != null) {
        raw.deleteAll(pool, 64);
      }
      Bench.shutdown(pool);
      b.log().clear();
    }
  }

  static void run60(Bench b, Results r) {
    ExecutorService pool = Bench.pool("latency", LatencyAttempt.ACQUIRE_THREADS);
    try {
      int n = b.profile.latency60Locks();
      putLocks(
          b.profile, r, "latency60_locks_on_schedule", L60, n, search(b, L60, "lat60/", n, pool));
    } finally {
      Bench.shutdown(pool);
    }
  }

  private static List<LatencyAttempt.Outcome> search(
      Bench b, LatencyAttempt.Latency latency, String prefix, int target, ExecutorService pool) {
    List<LatencyAttempt.Outcome> tries = new ArrayList<>();
    int n = target;
    for (int i = 0; i < b.profile.latencyTries() && n >= 1; i++, n /= 2) {
      LatencyAttempt.Outcome o = LatencyAttempt.run(b, latency, prefix + i + "/", n, pool);
      b.progress("latency " + latency + ": " + o.describe(b.profile.latencyRefresh()));
      tries.add(o);
      if (o.onSchedule()) {
        break;
      }
    }
    return tries;
  }

  private static void putLocks(
      Profile p,
      Results r,
      String key,
      LatencyAttempt.Latency latency,
      int target,
      List<LatencyAttempt.Outcome> tries) {
    int held = 0;
    for (LatencyAttempt.Outcome o : tries) {
      if (o.onSchedule()) {
        held = Math.max(held, o.locks());
      }
    }
    StringBuilder note =
        new StringBuilder(
            String.format(
                "largest count checked whose refreshes stayed on schedule at %s (>= 99 %% of gaps"
                    + " <= interval + 0.5 s, none lost); tried",
                latency));
    for (LatencyAttempt.Outcome o : tries) {
      note.append(' ').append(o.locks()).append(o.onSchedule() ? " (on schedule)" : " (missed)");
    }
    if (held < target) {
      note.append("; MISSED because: ").append(limit(tries.get(0)));
    }
    r.put(
        key,
        held,
        ">= " + target + (p.isFull() ? "" : " (" + p.name() + " run)"),
        p == Profile.TINY ? null : held >= target,
        note.toString());
  }

  /** What the figures say limits the refreshes. */
  static String limit(LatencyAttempt.Outcome o) {
    double ratePerCore = o.patchesPerSecond() / Math.max(1e-9, o.processCpuNanos() / 1e9);
    return String.format(
        "%s refreshes/s for locks / interval = %s/s, %s requests in flight on average (the registry's default"
            + " cap is 64); the process used %s cores of %d (client %s), i.e. %s refreshes per"
            + " CPU-second; %s",
        Results.format(o.patchesPerSecond()),
        Results.format(o.askedPerSecond()),
        Results.format(o.inFlight()),
        Results.format(o.processCpuNanos() / 1e9 / o.windowSeconds()),
        Runtime.getRuntime().availableProcessors(),
        Results.format(o.clientCpuNanos() / 1e9 / o.windowSeconds()),
        Results.format(ratePerCore),
        o.sockets());
  }

  record Side(long patches, long threadNanos, double seconds, String jvmWork) {
    double perSecond() {
      return patches / seconds;
    }
  }

  private static Side rawSide(Bench b, RawRefresher raw, ExecutorService pool, double perSecond) {
    L30.inject(b);
    try {
      Duration length = b.profile.rawCpuWindow();
      ClientCpu.Snapshot before = ClientCpu.take();
      ThreadCpu threadCpu = new ThreadCpu();
      long patches = raw.run(pool, RAW_THREADS, perSecond, length);
      ClientCpu.Snapshot after = ClientCpu.take();
      threadCpu.sample();
      return new Side(
          patches,
          threadCpu.nanos(ThreadCpu.CLIENT),
          after.secondsSince(before),
          after.jvmWorkSince(before));
    } finally {
      b.emulator.faults().clear();
      b.log().clear();
    }
  }
}
