package dev.dimutex.benchmarks;

import com.google.cloud.storage.Blob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The raw client doing a registry's refresh work: the same conditional PATCH (generation and
 * metageneration match) of many lock-shaped objects, at a fixed total rate, from a pool of threads
 * each pacing its share of the requests. The concurrency in flight is then rate x latency, as for a
 * registry refreshing on schedule.
 */
final class RawRefresher {
  private final RawClient raw;
  private final String prefix;
  private final AtomicReferenceArray<Blob> objects;

  private RawRefresher(RawClient raw, String prefix, AtomicReferenceArray<Blob> objects) {
    this.raw = raw;
    this.prefix = prefix;
    this.objects = objects;
  }

  /** Creates {@code count} objects shaped as the raw client's template, using {@code pool}. */
  static RawRefresher create(
      RawClient raw, String prefix, int count, ExecutorService pool, int threads) {
    AtomicReferenceArray<Blob> objects = new AtomicReferenceArray<>(count);
    Bench.parallel(
        pool,
        threads,
        count,
        i -> {
          Blob blob = raw.create(prefix + i);
          if (blob == null) {
            throw new IllegalStateException("raw object " + prefix + i + " exists already");
          }
          objects.set(i, blob);
        },
        "creating the raw client's objects");
    return new RawRefresher(raw, prefix, objects);
  }

  String prefix() {
    return prefix;
  }

  /**
   * PATCHes the objects round-robin at {@code perSecond} in total for {@code length}, from {@code
   * threads} threads of {@code pool}; returns the number of PATCHes made.
   */
  long run(ExecutorService pool, int threads, double perSecond, Duration length) {
    long start = System.nanoTime();
    long end = start + length.toNanos();
    double spacing = 1e9 / perSecond;
    AtomicLong slots = new AtomicLong();
    AtomicLong done = new AtomicLong();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(
          pool.submit(
              () -> {
                for (long slot = slots.getAndIncrement(); ; slot = slots.getAndIncrement()) {
                  long due = start + (long) (slot * spacing);
                  if (due >= end) {
                    return null;
                  }
                  long wait = due - System.nanoTime();
                  if (wait > 0) {
                    LockSupport.parkNanos(wait);
                  }
                  // Slots of one object are objects.length() apart (a whole interval), so no two
                  // threads patch it at once; the array carries its version between them.
                  int i = (int) (slot % objects.length());
                  objects.set(i, raw.refresh(objects.get(i)));
                  done.incrementAndGet();
                }
              }));
    }
    Bench.awaitAll(futures, "a raw PATCH");
    return done.get();
  }

  /** Deletes every object (conditionally, as a release would). */
  void deleteAll(ExecutorService pool, int threads) {
    Bench.parallel(
        pool,
        threads,
        objects.length(),
        i -> raw.delete(objects.get(i)),
        "deleting the raw client's objects");
  }
}
