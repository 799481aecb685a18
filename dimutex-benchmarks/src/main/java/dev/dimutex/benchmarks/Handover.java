package dev.dimutex.benchmarks;

import dev.dimutex.Lease;
import dev.dimutex.LockException;
import dev.dimutex.LockInterruptedException;
import dev.dimutex.Mutex;
import dev.dimutex.gcs.GcsLockRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Handover latency: from the moment a holder calls {@code release()} to the moment another
 * contender's acquire returns, on this JVM's monotonic clock. Each contender loops: acquire, hold
 * briefly, release, then stay out until someone else has acquired (so every sample is a real
 * handover to a contender that was already waiting, never the releaser re-acquiring).
 */
final class Handover {
  private Handover() {}

  static void runLocal(Bench b, Results r) {
    Outcome o;
    try (GcsLockRegistry registry = b.registry("handover-local/").build()) {
      List<Mutex> contenders = List.of(registry.obtain("baton"), registry.obtain("baton"));
      o =
          measure(
              contenders, Duration.ofMillis(3), b.profile.localHandovers(), Duration.ofSeconds(60));
    }
    double p50 = Stats.median(o.samples()) / 1e6;
    double rtt = b.loopbackRoundTripNanos / 1e6;
    double goal = 2 * rtt + 1;
    r.put(
        "local_handover_p50_ms",
        p50,
        String.format("<= 2 x RTT + 1 ms = %s", Results.format(goal)),
        p50 <= goal,
        String.format(
            "2 threads of one registry passing one lock; %d handovers, p90 %s ms, max %s ms;"
                + " loopback round trip (half the raw client's median create+delete) %s ms",
            o.samples().size(),
            Results.format(Stats.percentile(o.samples(), 90) / 1e6),
            Results.format(Stats.max(o.samples()) / 1e6),
            Results.format(rtt)));
    b.log().clear();
  }

  static void runCross(Bench b, Results r) {
    int registries = 8;
    List<GcsLockRegistry> all = new ArrayList<>();
    Outcome o;
    try {
      List<Mutex> contenders = new ArrayList<>();
      for (int i = 0; i < registries; i++) {
        GcsLockRegistry registry = b.separateRegistry("handover-cross/").build();
        all.add(registry);
        contenders.add(registry.obtain("baton"));
      }
      o =
          measure(
              contenders,
              b.profile.crossHold(),
              b.profile.crossHandovers(),
              b.profile.crossBudget());
    } finally {
      all.forEach(GcsLockRegistry::close);
    }
    double p50 = Stats.median(o.samples()) / 1e6;
    double p99 = Stats.percentile(o.samples(), 99) / 1e6;
    String note =
        String.format(
            "%d registries (own client, own owner id, default settings) contending for one lock,"
                + " each holding it %s ms; %d handovers%s; p90 %s ms, max %s ms",
            registries,
            b.profile.crossHold().toMillis(),
            o.samples().size(),
            o.budgetExhausted()
                ? " (time budget of " + b.profile.crossBudget().toSeconds() + " s ran out)"
                : "",
            Results.format(Stats.percentile(o.samples(), 90) / 1e6),
            Results.format(Stats.max(o.samples()) / 1e6));
    r.put("cross_registry_handover_p50_ms", p50, "<= 500", p50 <= 500, note);
    r.put(
        "cross_registry_handover_p99_ms",
        p99,
        "<= 1500",
        p99 <= 1500,
        "same run; nearest-rank p99 of " + o.samples().size() + " samples");
    b.log().clear();
  }

  record Outcome(List<Long> samples, boolean budgetExhausted) {}

  private record Release(int by, long atNanos) {}

  static Outcome measure(List<Mutex> contenders, Duration hold, int target, Duration budget) {
    int n = contenders.size();
    long deadline = System.nanoTime() + budget.toNanos();
    List<Long> samples = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<Release> lastRelease = new AtomicReference<>();
    AtomicInteger currentHolder = new AtomicInteger(-1);
    AtomicInteger doneFlag = new AtomicInteger();
    AtomicInteger holding = new AtomicInteger();
    ExecutorService pool = Bench.pool("contender", n);
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int me = i;
      Mutex mutex = contenders.get(i);
      futures.add(
          pool.submit(
              () -> {
                while (doneFlag.get() == 0) {
                  long remaining = deadline - System.nanoTime();
                  if (remaining <= 0) {
                    return null;
                  }
                  Optional<Lease> acquired;
                  try {
                    acquired = mutex.tryAcquire(Duration.ofNanos(remaining));
                  } catch (LockInterruptedException e) {
                    return null;
                  }
                  if (acquired.isEmpty()) {
                    return null;
                  }
                  Lease lease = acquired.get();
                  holding.incrementAndGet();
                  try {
                    long now = System.nanoTime();
                    Release previous = lastRelease.get();
                    if (previous != null && previous.by() != me) {
                      samples.add(now - previous.atNanos());
                      if (samples.size() >= target) {
                        doneFlag.set(1);
                      }
                    }
                    currentHolder.set(me);
                    if (doneFlag.get() == 0) {
                      Thread.sleep(hold.toMillis());
                    }
                  } finally {
                    lastRelease.set(new Release(me, System.nanoTime()));
                    try {
                      lease.release();
                    } catch (LockException e) {
                      if (doneFlag.get() == 0) {
                        throw e;
                      }
                      // Interrupted while stopping: the registry's close() releases it anyway.
                    } finally {
                      holding.decrementAndGet();
                    }
                  }
                  while (doneFlag.get() == 0
                      && currentHolder.get() == me
                      && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(200_000);
                  }
                }
                return null;
              }));
    }
    try {
      while (doneFlag.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      doneFlag.set(1);
      long settle = System.nanoTime() + 5_000_000_000L;
      while (holding.get() > 0 && System.nanoTime() < settle) {
        Thread.sleep(1);
      }
      // Wake the contenders still waiting; the holder releases in its finally block.
      Bench.shutdown(pool);
      for (Future<?> f : futures) {
        if (!f.isCancelled()) {
          try {
            f.get();
          } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof InterruptedException)
                && !(e.getCause() instanceof LockInterruptedException)) {
              throw new IllegalStateException("a contender failed: " + e.getCause(), e.getCause());
            }
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    List<Long> copy;
    synchronized (samples) {
      copy = new ArrayList<>(samples);
    }
    if (copy.isEmpty()) {
      throw new IllegalStateException("no handover observed within " + budget);
    }
    return new Outcome(copy, copy.size() < target);
  }
}
