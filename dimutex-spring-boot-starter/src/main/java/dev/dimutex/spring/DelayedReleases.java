package dev.dimutex.spring;

import dev.dimutex.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases leases, at once or, for {@code holdAtLeast}, once the minimum hold has passed, without
 * blocking the caller. {@link #close()} releases every pending lease at once; later releases are
 * immediate.
 */
final class DelayedReleases {

  private static final Logger log = LoggerFactory.getLogger(DelayedReleases.class);

  private final LongSupplier nanoTime;
  private final Supplier<ScheduledExecutorService> schedulerFactory;
  private final Set<Pending> pending = ConcurrentHashMap.newKeySet();
  private volatile @Nullable ScheduledExecutorService scheduler;
  private volatile boolean closed;

  /**
   * @param nanoTime the monotonic time that {@code acquiredAt} readings come from
   * @param schedulerFactory creates the scheduler at the first delayed release
   */
  DelayedReleases(LongSupplier nanoTime, Supplier<ScheduledExecutorService> schedulerFactory) {
    this.nanoTime = nanoTime;
    this.schedulerFactory = schedulerFactory;
  }

  /** With the system's monotonic time and one daemon thread. */
  static DelayedReleases system() {
    return new DelayedReleases(
        System::nanoTime,
        () ->
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread thread = new Thread(r, "dimutex-hold-at-least");
                  thread.setDaemon(true);
                  return thread;
                }));
  }

  long nanoTime() {
    return nanoTime.getAsLong();
  }

  /**
   * Releases the lease now, or schedules its release once {@code minimum} has passed since {@code
   * acquiredAt}.
   *
   * @throws dev.dimutex.LockException if an immediate release fails (a lost lease)
   */
  void release(
      Lease lease,
      @Nullable Duration minimum,
      long acquiredAt,
      DistributedLockObserver.HoldTimer timer,
      String description) {
    if (minimum != null) {
      long remaining = minimum.toNanos() - (nanoTime.getAsLong() - acquiredAt);
      if (remaining > 0 && !closed) {
        Pending delayed = new Pending(lease, timer);
        pending.add(delayed);
        delayed.future = scheduler().schedule(delayed::runQuietly, remaining, TimeUnit.NANOSECONDS);
        log.debug(
            "Lock '{}' stays held for holdAtLeast {} after {} returned",
            lease.name(),
            minimum,
            description);
        return;
      }
    }
    releaseNow(lease, timer);
  }

  int pending() {
    return pending.size();
  }

  private static void releaseNow(Lease lease, DistributedLockObserver.HoldTimer timer) {
    try {
      lease.release();
    } finally {
      try {
        timer.stop();
      } catch (RuntimeException e) {
        log.warn("DistributedLockObserver failed to stop a hold timer", e);
      }
    }
  }

  private ScheduledExecutorService scheduler() {
    ScheduledExecutorService current = scheduler;
    if (current == null) {
      synchronized (this) {
        current = scheduler;
        if (current == null) {
          current = schedulerFactory.get();
          scheduler = current;
        }
      }
    }
    return current;
  }

  /** Releases at once every lease whose delayed release is still pending. */
  void close() {
    closed = true;
    ScheduledExecutorService current = scheduler;
    if (current != null) {
      current.shutdownNow();
    }
    for (Pending delayed : new ArrayList<>(pending)) {
      ScheduledFuture<?> future = delayed.future;
      if (future != null) {
        future.cancel(false);
      }
      delayed.runQuietly();
    }
  }

  /** One scheduled release; runs at most once, whether the timer or {@link #close()} runs it. */
  private final class Pending {
    private final Lease lease;
    private final DistributedLockObserver.HoldTimer timer;
    private volatile @Nullable ScheduledFuture<?> future;
    private boolean done;

    Pending(Lease lease, DistributedLockObserver.HoldTimer timer) {
      this.lease = lease;
      this.timer = timer;
    }

    void runQuietly() {
      synchronized (this) {
        if (done) {
          return;
        }
        done = true;
      }
      pending.remove(this);
      try {
        releaseNow(lease, timer);
      } catch (RuntimeException e) {
        log.warn("Release of lock '{}' after holdAtLeast failed", lease.name(), e);
      }
    }
  }
}
