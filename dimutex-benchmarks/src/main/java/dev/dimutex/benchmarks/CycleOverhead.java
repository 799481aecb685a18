package dev.dimutex.benchmarks;

import dev.dimutex.gcs.GcsLockRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * Acquire+release cycle time of the library against the raw client's create+delete, interleaved
 * sample by sample (alternating which goes first) so that machine noise hits both alike. The raw
 * cycle's median also gives the loopback round trip used by the handover goal: half a cycle is one
 * mutation request through the client to the emulator and back.
 */
final class CycleOverhead {
  private CycleOverhead() {}

  static void run(Bench b, Results r) {
    String libName = "cycle";
    String rawName = "raw-cycle/cycle";
    List<Long> lib = new ArrayList<>();
    List<Long> raw = new ArrayList<>();
    try (GcsLockRegistry registry = b.registry("cycle/").build()) {
      registry.obtain(libName).tryAcquire().orElseThrow().release();
      // Make the raw requests look exactly like the library's (same metadata and content).
      var probe = registry.obtain("shape").tryAcquire().orElseThrow();
      b.raw.copyShapeOf("cycle/shape");
      probe.release();
      int warmup = b.profile.cycleWarmup();
      int samples = b.profile.cycleSamples();
      for (int i = 0; i < warmup + samples; i++) {
        long libNanos;
        long rawNanos;
        if (i % 2 == 0) {
          libNanos = timeLibrary(registry, libName);
          rawNanos = timeRaw(b, rawName);
        } else {
          rawNanos = timeRaw(b, rawName);
          libNanos = timeLibrary(registry, libName);
        }
        if (i >= warmup) {
          lib.add(libNanos);
          raw.add(rawNanos);
        }
        if (i % 200 == 0) {
          b.log().clear();
        }
      }
    }
    double libMedian = Stats.median(lib);
    double rawMedian = Stats.median(raw);
    b.loopbackRoundTripNanos = rawMedian / 2;
    double ratio = libMedian / rawMedian;
    r.put(
        "cycle_overhead_ratio",
        ratio,
        "<= 1.10",
        ratio <= 1.10,
        String.format(
                "median cycle: library %s, raw client %s (%d interleaved samples each after %d"
                    + " warm-up; p90 library %s, raw %s); raw object shape: %s",
                Stats.ms(libMedian),
                Stats.ms(rawMedian),
                lib.size(),
                b.profile.cycleWarmup(),
                Stats.ms(Stats.percentile(lib, 90)),
                Stats.ms(Stats.percentile(raw, 90)),
                b.raw.describeShape())
            + (ratio <= 1.10
                ? ""
                : "; MISSED because: the library sends the same two requests (see"
                    + " requests_per_*), so the difference is its CPU work per cycle, which a"
                    + " loaded machine or a cold JIT (few samples) magnifies"));
    b.log().clear();
  }

  private static long timeLibrary(GcsLockRegistry registry, String name) {
    long t0 = System.nanoTime();
    registry
        .obtain(name)
        .tryAcquire()
        .orElseThrow(() -> new IllegalStateException("uncontended cycle found the lock held"))
        .release();
    return System.nanoTime() - t0;
  }

  private static long timeRaw(Bench b, String name) {
    long t0 = System.nanoTime();
    b.raw.cycle(name);
    return System.nanoTime() - t0;
  }
}
