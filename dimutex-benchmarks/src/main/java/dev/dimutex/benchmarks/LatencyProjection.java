package dev.dimutex.benchmarks;

import dev.dimutex.Lease;
import dev.dimutex.emulator.Operation;
import dev.dimutex.emulator.RequestMatcher;
import dev.dimutex.gcs.GcsLockRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Not one of the figures: how many refreshes per second one registry manages when each
 * PATCH takes as long as a GCS round trip (the emulator adds {@value #LATENCY_MS} ms to every
 * PATCH). Loopback hides this limit, since refreshes are blocking calls on the registry's few
 * scheduler threads. Reported as a remark, to project the scale figures to real GCS.
 */
final class LatencyProjection {
  private LatencyProjection() {}

  static final long LATENCY_MS = 30;

  static void run(Bench b, Results r) {
    if (!b.profile.isFull()) {
      r.remark("real-GCS projection: runs in the full suite only");
      return;
    }
    int locks = 1000;
    Duration window = Duration.ofSeconds(5);
    RequestMatcher patches = RequestMatcher.operation(Operation.OBJECT_PATCH);
    List<Lease> leases = new ArrayList<>();
    long t0;
    long t1;
    int healthy = 0;
    long acquiredAt;
    long heldFor;
    try (GcsLockRegistry registry =
        b.registry("projection/")
            .ttl(Duration.ofSeconds(6))
            .refreshInterval(Duration.ofSeconds(1))
            .build()) {
      for (int i = 0; i < locks; i++) {
        leases.add(registry.obtain("lock-" + i).tryAcquire().orElseThrow());
      }
      acquiredAt = System.nanoTime();
      b.emulator.faults().delay(Duration.ofMillis(LATENCY_MS), patches);
      Bench.sleep(Duration.ofSeconds(1));
      t0 = System.nanoTime();
      Bench.sleep(window);
      t1 = System.nanoTime();
      for (Lease lease : leases) {
        healthy += lease.isHealthy() ? 1 : 0;
      }
      heldFor = System.nanoTime() - acquiredAt;
      b.emulator.faults().clear();
    } finally {
      b.emulator.faults().clear();
    }
    double rate = b.arrived(patches, t0, t1).size() / ((t1 - t0) / 1e9);
    r.remark(
        String.format(
            "real-GCS projection: with %d ms added to every PATCH, one registry (default scheduler)"
                + " refreshed %s leases/s while holding %d locks (ttl 6 s, refresh 1 s) that asked"
                + " for %d/s; %d of them were still healthy after %s s with that latency. Refreshes"
                + " are blocking calls on the scheduler threads, so at the"
                + " default 10 s interval one registry keeps about %s leases on schedule when a"
                + " PATCH takes %d ms",
            LATENCY_MS,
            Results.format(rate),
            locks,
            locks,
            healthy,
            Results.format(heldFor / 1e9),
            Results.format(Math.round(rate * 10)),
            LATENCY_MS));
    b.log().clear();
  }
}
