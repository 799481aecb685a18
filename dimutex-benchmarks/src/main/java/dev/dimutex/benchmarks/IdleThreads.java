package dev.dimutex.benchmarks;

import dev.dimutex.Lease;
import dev.dimutex.gcs.GcsLockRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Idle cost (issue 12 item 4): the platform threads a registry with default settings runs while it
 * holds 10 locks and refreshes them. Counted as {@code scale_library_threads} counts them (new live
 * threads, not the emulator's, the HTTP client's or the JVM's), sampled every 50 ms over the
 * window, and the figure is the largest sample: an I/O thread that lives only while a refresh is in
 * flight still counts. Virtual threads are not platform threads; their carrier threads are, and
 * count.
 */
final class IdleThreads {
  private IdleThreads() {}

  /** A little over the keep-alive of the registry's idle I/O pool threads (JDK 17 to 20). */
  private static final Duration IO_KEEP_ALIVE = Duration.ofMillis(2500);

  static void run(Bench b, Results r) {
    Profile p = b.profile;
    // Warm the client so its own threads exist before the registry does.
    for (int i = 0; i < 20; i++) {
      b.raw.cycle("idle-warm/w" + i);
    }
    Map<Long, Thread> before = ThreadCensus.liveThreads();
    int max = 0;
    TreeSet<String> seen = new TreeSet<>();
    TreeSet<String> jvm = new TreeSet<>();
    List<String> atMax = List.of();
    try (GcsLockRegistry registry =
        b.registry("idle/").ttl(p.latencyTtl()).refreshInterval(p.latencyRefresh()).build()) {
      List<Lease> leases = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        leases.add(registry.obtain("lock-" + i).tryAcquire().orElseThrow());
      }
      // Settle first: the I/O threads of the acquisitions end after their keep-alive, and every
      // lease has had its first (jittered) refresh.
      Bench.sleep(p.latencyRefresh().plus(IO_KEEP_ALIVE));
      long end = System.nanoTime() + p.idleWindow().toNanos();
      while (System.nanoTime() < end) {
        ThreadCensus.ThreadCount count = ThreadCensus.classify(before, ThreadCensus.liveThreads());
        List<String> library = count.library();
        seen.addAll(library);
        count.excluded().stream().filter(ThreadCensus::isVirtualThreadScheduler).forEach(jvm::add);
        if (library.size() > max) {
          max = library.size();
          atMax = library;
        }
        Bench.sleep(Duration.ofMillis(50));
      }
      for (Lease lease : leases) {
        lease.release();
      }
    }
    b.log().clear();
    r.put(
        "idle_platform_threads_10_locks",
        max,
        "<= 2",
        max <= 2,
        String.format(
                "most platform threads the registry ran at once while holding 10 locks for %s s"
                    + " (ttl %s s, refresh %s s; sampled every 50 ms after %s s of settling): %s;"
                    + " every one seen: %s; the JDK's virtual-thread scheduler threads seen (one"
                    + " set per JVM, counted with the JVM's, not here): %s",
                Results.format(p.idleWindow().toMillis() / 1000.0),
                p.latencyTtl().toSeconds(),
                Results.format(p.latencyRefresh().toMillis() / 1000.0),
                Results.format(p.latencyRefresh().plus(IO_KEEP_ALIVE).toMillis() / 1000.0),
                atMax,
                seen,
                jvm.isEmpty() ? "none" : jvm)
            + (max <= 2
                ? ""
                : "; MISSED because: more threads than the timer and one I/O thread were alive at"
                    + " once (see the names): pool threads outlive a burst by their keep-alive"));
  }
}
