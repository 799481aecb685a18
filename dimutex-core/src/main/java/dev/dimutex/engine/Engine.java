package dev.dimutex.engine;

import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.LockStore;
import dev.dimutex.spi.Sleeper;
import dev.dimutex.spi.TimeSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * The wiring of one registry: its settings, its store, and one instance of every collaborator,
 * which reach each other only through it. Nothing here changes after construction except the closed
 * flag.
 */
final class Engine {

  /** Transient failures tolerated by a one-shot operation (try once, manual refresh). */
  static final int ONE_SHOT_TRIES = 4;

  /** The store as given. */
  final LockStore givenStore;

  /** The store as used: calls in flight are capped. */
  final LockStore store;

  final Duration ttl;
  final long ttlNanos;
  final long marginNanos;
  final Duration refreshInterval;
  final Backoff backoff;
  final Clock clock;
  final TimeSource timeSource;
  final DoubleSupplier random;
  final Sleeper sleeper;
  final String ownerId;
  final String ownerDescription;
  final ScheduledExecutorService scheduler;
  final boolean ownScheduler;

  /** Where store calls run: the registry's own I/O executor, or the caller's scheduler. */
  private final Executor io;

  final Listeners listeners;
  final Messages messages;
  final Retry retry;
  final Staleness staleness;
  final ReadBack readBack;
  final SlotTable slots = new SlotTable();

  /**
   * Leases found lost whose owner has not released them yet. Their slots are freed (local waiters
   * need not wait behind them), but {@code heldLeases()} still lists them, unhealthy, until their
   * {@code release()}, so that health checks see the loss.
   */
  final Set<LeaseImpl> lostUnreleased = ConcurrentHashMap.newKeySet();

  final Waiting waiting;
  final Driver driver;
  final RemoteAttempt attempts;
  final Refresher refresher;
  final Releaser releaser;
  final HandOver handOver;
  final ConditionalDelete deletes;

  private volatile boolean closed;

  Engine(RegistrySettings s, LockStore store) {
    this.givenStore = store;
    this.store = new CappedStore(store, s.maxConcurrentStoreCalls());
    this.ttl = s.ttl();
    this.ttlNanos = ttl.toNanos();
    this.marginNanos = safetyMarginNanos(ttlNanos);
    this.refreshInterval = s.refreshInterval();
    this.backoff = s.backoff();
    this.clock = s.clock();
    this.timeSource = s.timeSource();
    this.random = s.random();
    this.sleeper = s.sleeper();
    this.ownerId = s.ownerId();
    this.ownerDescription = describeProcess();
    ScheduledExecutorService given = s.scheduler();
    this.ownScheduler = given == null;
    this.scheduler = given != null ? given : DefaultScheduler.timer(ownerId, refreshInterval);
    this.io = given != null ? given : DefaultScheduler.io(ownerId, s.maxConcurrentStoreCalls());
    this.listeners = new Listeners(s.listeners());
    this.messages = new Messages(store, ttl);
    this.retry = new Retry(this);
    this.staleness = new Staleness(this);
    this.readBack = new ReadBack(this);
    this.waiting = new Waiting(this);
    this.driver = new Driver(this);
    this.attempts = new RemoteAttempt(this);
    this.refresher = new Refresher(this);
    this.releaser = new Releaser(this);
    this.handOver = new HandOver(this);
    this.deletes = new ConditionalDelete(this);
  }

  /**
   * The margin by which a lease turns unhealthy before its TTL runs out, measured from the send
   * time of the last write the store confirmed: a tenth of the TTL. It absorbs rate differences
   * between the monotonic clocks of holder and taker and scheduling delays on the holder.
   */
  static long safetyMarginNanos(long ttlNanos) {
    return ttlNanos / 10;
  }

  /**
   * Runs a task that calls the store after the delay: the timer waits, the I/O executor runs it
   * (with a caller's scheduler, that scheduler does both).
   */
  ScheduledFuture<?> scheduleIo(Runnable task, long delayNanos) {
    if (!ownScheduler) {
      return scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }
    // The I/O executor's threads (pool threads and virtual threads alike) are marked as the
    // registry's own by their thread factory, so the task needs no marking of its own.
    return scheduler.schedule(() -> io.execute(task), delayNanos, TimeUnit.NANOSECONDS);
  }

  /** The grid that {@link #scheduleIoCoalesced} rounds due times up to. */
  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /**
   * {@link #scheduleIo}, with the due time rounded up to the next 10 ms tick when the registry runs
   * its own timer, so that the refreshes due within one tick share one wake-up of the timer thread
   * instead of one each (thousands of leases make about 900 refreshes per second at the default
   * interval; a wake-up costs a context switch). At most 10 ms later, against a refresh interval of
   * seconds. A caller's scheduler gets the delay unchanged.
   */
  ScheduledFuture<?> scheduleIoCoalesced(Runnable task, long delayNanos) {
    if (!ownScheduler) {
      return scheduleIo(task, delayNanos);
    }
    long now = System.nanoTime(); // the clock the timer itself runs on
    long due = now + delayNanos;
    long aligned = due - Math.floorMod(due, TICK_NANOS) + TICK_NANOS;
    return scheduleIo(task, aligned - now);
  }

  /** Stops the registry's own threads (a caller's scheduler is left alone). */
  void shutdownOwnThreads() {
    if (ownScheduler) {
      scheduler.shutdownNow();
      if (io instanceof ExecutorService e) {
        e.shutdownNow();
      }
    }
  }

  long nanoTime() {
    return timeSource.nanoTime();
  }

  long healthyUntil(long confirmedSendNanos) {
    return confirmedSendNanos + ttlNanos - marginNanos;
  }

  LockRecord newRecord(String nonce) {
    return new LockRecord(ownerId, ownerDescription, nonce, ttl, clock.instant(), 0);
  }

  boolean isClosed() {
    return closed;
  }

  /** Returns true the first time only. */
  synchronized boolean markClosed() {
    if (closed) {
      return false;
    }
    closed = true;
    return true;
  }

  void checkOpen() {
    if (closed) {
      throw Messages.registryClosed(ownerId);
    }
  }

  /**
   * Host name and pid, for humans reading lock objects; never used for identity. Read from the
   * environment or the kernel's host-name file, not through DNS, which can stall start-up for
   * seconds on a badly configured machine.
   */
  private static String describeProcess() {
    return hostName() + " pid " + ProcessHandle.current().pid();
  }

  private static String hostName() {
    for (String variable : List.of("HOSTNAME", "COMPUTERNAME")) {
      String value = System.getenv(variable);
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    for (String file : List.of("/proc/sys/kernel/hostname", "/etc/hostname")) {
      try {
        String value = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        if (!value.isEmpty()) {
          return value;
        }
      } catch (IOException | RuntimeException e) {
        // not Linux, or not readable: try the next source
      }
    }
    return "unknown-host";
  }
}
