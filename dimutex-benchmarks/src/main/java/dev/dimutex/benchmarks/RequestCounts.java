package dev.dimutex.benchmarks;

import dev.dimutex.Lease;
import dev.dimutex.Mutex;
import dev.dimutex.emulator.LoggedRequest;
import dev.dimutex.emulator.RequestMatcher;
import dev.dimutex.gcs.GcsLockRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests per uncontended acquire, manual refresh and release, counted at the emulator and
 * attributed to an operation by arrival time. Each operation runs on its own lock name; nothing
 * else talks to the emulator meanwhile, and the default refresh interval (10 s) is far longer than
 * the measured operations.
 */
final class RequestCounts {
  private RequestCounts() {}

  static void run(Bench b, Results r) {
    String prefix = "counts/";
    int n = b.profile.countOps();
    long[][] times = new long[n][4];
    try (GcsLockRegistry registry = b.registry(prefix).build()) {
      for (int i = 0; i < 5; i++) {
        registry.obtain("warm-" + i).tryAcquire().orElseThrow().release();
      }
      b.log().clear();
      for (int i = 0; i < n; i++) {
        Mutex mutex = registry.obtain("op-" + i);
        times[i][0] = System.nanoTime();
        Lease lease =
            mutex
                .tryAcquire()
                .orElseThrow(
                    () -> new IllegalStateException("uncontended tryAcquire found the lock held"));
        times[i][1] = System.nanoTime();
        lease.refresh();
        times[i][2] = System.nanoTime();
        lease.release();
        times[i][3] = System.nanoTime();
      }
    }
    List<LoggedRequest> all = b.arrived(RequestMatcher.any(), times[0][0], times[n - 1][3]);
    String[] keys = {"requests_per_acquire", "requests_per_refresh", "requests_per_release"};
    for (int op = 0; op < 3; op++) {
      List<Long> counts = new ArrayList<>();
      String first = "";
      for (int i = 0; i < n; i++) {
        List<LoggedRequest> mine = between(all, times[i][op], times[i][op + 1]);
        counts.add((long) mine.size());
        if (i == 0) {
          first = Bench.describe(mine);
        }
      }
      double mean = Stats.mean(counts);
      r.put(
          keys[op],
          mean,
          "1 (physical minimum)",
          mean <= 1.0,
          String.format(
              "mean over %d uncontended operations (min %d, max %d); requests of the first: %s",
              n, (long) Stats.percentile(counts, 0), (long) Stats.max(counts), first));
    }
    b.log().clear();
  }

  private static List<LoggedRequest> between(List<LoggedRequest> all, long from, long to) {
    List<LoggedRequest> out = new ArrayList<>();
    for (LoggedRequest e : all) {
      if (e.startNanos() >= from && e.startNanos() <= to) {
        out.add(e);
      }
    }
    return out;
  }
}
