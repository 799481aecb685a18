package dev.dimutex.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Storage;
import dev.dimutex.LeaseInfo;
import dev.dimutex.emulator.EmulatorStorage;
import dev.dimutex.emulator.GcsEmulator;
import dev.dimutex.emulator.Operation;
import dev.dimutex.emulator.RequestMatcher;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A manual scale check (minutes of CPU; not part of the normal build): many held leases in one
 * registry, refreshed by the registry's own threads (one timer thread, store calls on the elastic
 * I/O executor). Run with {@code -Ddimutex.scale=true -Ddimutex.scale.locks=10000}; add {@code
 * -Ddimutex.scale.writeLatencyMs=30 -Ddimutex.scale.readLatencyMs=15} to inject GCS-like latency in
 * the emulator once the locks are held.
 */
@EnabledIfSystemProperty(
    named = "dimutex.scale",
    matches = "true",
    disabledReason = "manual scale check: run with -Ddimutex.scale=true (see the class Javadoc)")
class ScaleCheckTest {

  @Test
  void manyLeasesAreRefreshedOnTimeByAFewThreads() throws Exception {
    int locks = Integer.getInteger("dimutex.scale.locks", 2000);
    Duration ttl = Duration.ofSeconds(Long.getLong("dimutex.scale.ttl", 60));
    GcsEmulator emulator = GcsEmulator.builder().bucket("scale").start();
    Storage storage = EmulatorStorage.create(emulator);
    try {
      GcsLockRegistry r = GcsLockRegistry.builder(storage, "scale").ttl(ttl).build();
      System.gc();
      long heapBefore = usedHeap();
      long t0 = System.nanoTime();
      for (int i = 0; i < locks; i++) {
        r.obtain("lock-" + i).tryAcquire().orElseThrow();
      }
      long acquireMs = (System.nanoTime() - t0) / 1_000_000;
      long writeLatencyMs = Long.getLong("dimutex.scale.writeLatencyMs", 0);
      long readLatencyMs = Long.getLong("dimutex.scale.readLatencyMs", 0);
      if (writeLatencyMs > 0) {
        emulator
            .faults()
            .delay(Duration.ofMillis(writeLatencyMs), RequestMatcher.objectMutations());
      }
      if (readLatencyMs > 0) {
        emulator
            .faults()
            .delay(
                Duration.ofMillis(readLatencyMs), RequestMatcher.operation(Operation.OBJECT_GET));
      }
      System.gc();
      long heapAfter = usedHeap();
      emulator.requestLog().clear();
      long watchMs = r.refreshInterval().toMillis() * 2 + 2_000;
      Thread.sleep(watchMs);
      long patches = emulator.requestLog().count(Operation.OBJECT_PATCH);
      Instant now = Instant.now();
      List<LeaseInfo> held = r.heldLeases();
      long worstAgeMs =
          held.stream()
              .mapToLong(l -> Duration.between(l.lastConfirmedRefresh(), now).toMillis())
              .max()
              .orElse(0);
      long threads =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().startsWith("dimutex-"))
              .count();
      System.out.printf(
          "locks=%d (+%d ms writes, +%d ms reads) acquire=%d ms (%.2f ms each) heap/lock=%d B"
              + " patches in %d ms=%d worst refresh age=%d ms (interval %d ms) healthy=%d"
              + " library threads=%d%n",
          locks,
          writeLatencyMs,
          readLatencyMs,
          acquireMs,
          acquireMs / (double) locks,
          (heapAfter - heapBefore) / locks,
          watchMs,
          patches,
          worstAgeMs,
          r.refreshInterval().toMillis(),
          held.stream().filter(LeaseInfo::healthy).count(),
          threads);
      assertThat(held).allMatch(LeaseInfo::healthy);
      // one timer thread plus the I/O pool, which grows only with the calls in flight
      assertThat(threads).isLessThanOrEqualTo(1 + 64);
      r.close();
    } finally {
      storage.close();
      emulator.close();
    }
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
