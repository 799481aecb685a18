package dev.dimutex.engine;

import dev.dimutex.InspectableLockRegistry;
import dev.dimutex.Lease;
import dev.dimutex.LeaseInfo;
import dev.dimutex.LockConfigurationException;
import dev.dimutex.LockException;
import dev.dimutex.LockInterruptedException;
import dev.dimutex.LockLostException;
import dev.dimutex.LockObjectInfo;
import dev.dimutex.LockTimeoutException;
import dev.dimutex.Mutex;
import dev.dimutex.StoreUnavailableException;
import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.LockStore;
import dev.dimutex.spi.ObjectVersion;
import dev.dimutex.spi.Sleeper;
import dev.dimutex.spi.StoreException;
import dev.dimutex.spi.StoredLock;
import dev.dimutex.spi.TimeSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock algorithm over any {@link LockStore}: leases, automatic refresh on one shared scheduler,
 * stale takeover, local coalescing and backoff. {@code GcsLockRegistry} is this class over the GCS
 * store; use this one directly only with a store of your own.
 *
 * <p>See {@code SEMANTICS.md} of the core module for the guarantees. In short: acquisition is one
 * conditional create; every later mutation is conditioned on the generation and metageneration this
 * process last confirmed; ambiguous outcomes are resolved by reading back the acquisition's nonce;
 * another holder is considered stale only after its object stayed unchanged for its whole TTL as
 * measured on this process's monotonic clock (or proven by the store's own timestamps), so
 * wall-clock skew between machines never matters; a lease turns unhealthy a safety margin before
 * anyone else could take it over.
 */
public final class StoreLockRegistry implements InspectableLockRegistry {

  private static final Logger log = LoggerFactory.getLogger(StoreLockRegistry.class);

  /** Transient failures tolerated by a one-shot operation (try once, release, manual refresh). */
  static final int ONE_SHOT_TRIES = 4;

  /** Longest a release keeps retrying transient failures. */
  static final long RELEASE_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Waits longer than this are treated as "forever" (avoids overflow). */
  static final long FOREVER_NANOS = TimeUnit.DAYS.toNanos(365L * 100);

  private final LockStore store;
  private final Duration ttl;
  private final long ttlNanos;
  private final long marginNanos;
  private final Duration refreshInterval;
  private final Backoff backoff;
  private final Clock clock;
  private final TimeSource timeSource;
  private final DoubleSupplier random;
  private final Sleeper sleeper;
  private final String ownerId;
  private final String ownerDescription;
  private final ScheduledExecutorService scheduler;
  private final boolean ownScheduler;
  private final Listeners listeners;

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final ServerClock serverClock = new ServerClock();
  private volatile boolean closed;

  private StoreLockRegistry(RegistrySettings b, LockStore store) {
    this.store = store;
    this.ttl = b.ttl();
    this.ttlNanos = b.ttl().toNanos();
    this.marginNanos = safetyMarginNanos(ttlNanos);
    this.refreshInterval = b.refreshInterval();
    this.backoff = b.backoff();
    this.clock = b.clock();
    this.timeSource = b.timeSource();
    this.random = b.random();
    this.sleeper = b.sleeper();
    this.ownerId = b.ownerId();
    this.ownerDescription = describeProcess();
    this.listeners = new Listeners(b.listeners());
    ScheduledExecutorService given = b.scheduler();
    if (given != null) {
      this.scheduler = given;
      this.ownScheduler = false;
    } else {
      this.scheduler = defaultScheduler(this.ownerId);
      this.ownScheduler = true;
      startPacemaker(this.scheduler, this.refreshInterval);
    }
  }

  /**
   * Keeps a no-op periodic task at the head of the default scheduler's queue, so that scheduling a
   * lease's refresh does not wake a scheduler thread.
   *
   * <p>A {@link ScheduledThreadPoolExecutor} signals a waiting worker whenever a new task becomes
   * the earliest one in its queue; the woken worker only re-arms its timed wait. Every acquisition
   * schedules a refresh (at least 3/4 of the refresh interval ahead) and its release cancels it, so
   * with few leases held the new task was often the earliest: a JFR profile of 8 threads acquiring
   * and releasing distinct locks showed about 0.75 worker wake-ups per acquisition, each a context
   * switch plus a turn on the queue lock that the acquiring threads also need. This task runs at
   * half the refresh interval, so it is always due before any regularly scheduled refresh and new
   * refreshes no longer become the head; the cost is one idle wake-up per half interval. It changes
   * no timing: tasks still run at their own delays, and earlier ones (retries, short first
   * refreshes) still wake a worker as before. Only the registry's own scheduler gets it; it ends
   * with the scheduler's {@code shutdownNow()} in {@link #close()}.
   */
  private static void startPacemaker(ScheduledExecutorService s, Duration refreshInterval) {
    long period = Math.max(TimeUnit.MILLISECONDS.toNanos(1), refreshInterval.toNanos() / 2);
    s.scheduleAtFixedRate(() -> {}, period, period, TimeUnit.NANOSECONDS);
  }

  /**
   * The margin by which a lease turns unhealthy before its TTL runs out, measured from the send
   * time of the last write the store confirmed: a tenth of the TTL. It absorbs rate differences
   * between the monotonic clocks of holder and taker and scheduling delays on the holder.
   */
  static long safetyMarginNanos(long ttlNanos) {
    return ttlNanos / 10;
  }

  private static ScheduledExecutorService defaultScheduler(String ownerId) {
    AtomicInteger n = new AtomicInteger();
    String tag = ownerId.length() > 8 ? ownerId.substring(0, 8) : ownerId;
    ScheduledThreadPoolExecutor s =
        new ScheduledThreadPoolExecutor(
            RegistrySettings.DEFAULT_THREADS,
            r -> {
              Runnable marked =
                  () -> {
                    ON_OWN_SCHEDULER.set(Boolean.TRUE);
                    r.run();
                  };
              Thread t = new Thread(marked, "dimutex-" + tag + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    s.setRemoveOnCancelPolicy(true);
    s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return s;
  }

  /** Marks threads of a default scheduler, where blocking on a lock would starve the registry. */
  private static final ThreadLocal<Boolean> ON_OWN_SCHEDULER = new ThreadLocal<>();

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

  /**
   * Starts a builder of registries.
   *
   * @return a builder with the documented defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- accessors

  /**
   * Returns this registry's owner id, written into every lock object it creates.
   *
   * @return the owner id
   */
  public String ownerId() {
    return ownerId;
  }

  /**
   * Returns the TTL written into every lock object.
   *
   * @return the TTL
   */
  public Duration ttl() {
    return ttl;
  }

  /**
   * Returns the interval between automatic refreshes.
   *
   * @return the refresh interval
   */
  public Duration refreshInterval() {
    return refreshInterval;
  }

  /**
   * Returns the store this registry uses.
   *
   * @return the store
   */
  public LockStore store() {
    return store;
  }

  long nanoTime() {
    return timeSource.nanoTime();
  }

  long healthyUntil(long confirmedSendNanos) {
    return confirmedSendNanos + ttlNanos - marginNanos;
  }

  // ---------------------------------------------------------------- LockRegistry

  @Override
  public Mutex obtain(String name) {
    Objects.requireNonNull(name, "name");
    checkOpen();
    store.validateName(name);
    return new MutexImpl(this, name);
  }

  @Override
  public List<LeaseInfo> heldLeases() {
    List<LeaseInfo> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      LeaseImpl l;
      synchronized (e) {
        l = e.held;
      }
      if (l != null) {
        out.add(l.info());
      }
    }
    out.sort(Comparator.comparing(LeaseInfo::name));
    return out;
  }

  @Override
  public List<LockObjectInfo> lockObjects() {
    List<StoredLock> objects;
    try {
      objects = store.list();
    } catch (StoreException e) {
      throw translate(e, "*", "list lock objects");
    }
    List<LockObjectInfo> out = new ArrayList<>(objects.size());
    for (StoredLock s : objects) {
      LockRecord r = s.record();
      out.add(
          new LockObjectInfo(
              s.name(),
              r != null ? r.ownerId() : "unknown (not written by dimutex)",
              r != null ? r.ownerDescription() : "unknown",
              s.version().generation(),
              s.created() != null ? s.created() : Instant.EPOCH,
              s.updated() != null ? s.updated() : Instant.EPOCH,
              r != null ? r.ttl() : ttl));
    }
    out.sort(Comparator.comparing(LockObjectInfo::name));
    return out;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Entry e : entries.values()) {
      LeaseImpl held;
      List<Entry.Waiter> waiters;
      synchronized (e) {
        held = e.held;
        waiters = e.waiters != null ? new ArrayList<>(e.waiters) : List.of();
        if (e.waiters != null) {
          e.waiters.clear();
        }
      }
      LockException closedEx =
          new LockException("registry closed while waiting for lock '" + e.name + "'");
      for (Entry.Waiter w : waiters) {
        w.future.completeExceptionally(closedEx);
      }
      if (held != null) {
        try {
          release(held);
        } catch (RuntimeException ex) {
          log.warn(
              "Could not release lock '{}' while closing the registry: {}", e.name, ex.toString());
        }
      }
    }
    if (ownScheduler) {
      scheduler.shutdownNow();
    }
  }

  /**
   * Checks with one cheap read that the store is reachable and accessible.
   *
   * @throws LockConfigurationException naming the store location if access is refused
   * @throws LockException if the store is unavailable
   */
  public void verifyAccess() {
    try {
      store.verifyAccess();
    } catch (StoreException e) {
      throw translate(e, "*", "verify access");
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("lock registry of owner " + ownerId + " has been closed");
    }
  }

  // ---------------------------------------------------------------- entries

  private Entry enter(String name) {
    return entries.computeIfAbsent(name, Entry::new);
  }

  void maybeRetire(Entry e) {
    entries.computeIfPresent(
        e.name,
        (k, cur) -> {
          if (cur != e) {
            return cur;
          }
          synchronized (e) {
            if (e.idle()) {
              e.retired = true;
              return null;
            }
          }
          return cur;
        });
  }

  /** How many local callers are queued for the lock; for tests and health checks. */
  int queuedWaiters(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      return 0;
    }
    synchronized (e) {
      return e.waiters == null ? 0 : e.waiters.size();
    }
  }

  @Nullable Entry existing(String name) {
    return entries.get(name);
  }

  // ---------------------------------------------------------------- acquisition

  /** Blocking acquisition; empty on timeout. */
  Optional<Lease> acquire(String name, Duration waitAtMost) {
    try {
      return Optional.of(acquireOrThrow(name, waitAtMost));
    } catch (LockTimeoutException timeout) {
      return Optional.empty();
    }
  }

  /** Blocking acquisition; throws {@link LockTimeoutException} naming the lock on timeout. */
  Lease acquireOrThrow(String name, Duration waitAtMost) {
    checkOpen();
    long waitNanos = clampWait(waitAtMost, name);
    if (waitNanos > 0 && ON_OWN_SCHEDULER.get() != null) {
      throw new IllegalStateException(
          "waiting for lock '"
              + name
              + "' on a dimutex scheduler thread would block the refreshes and polls it runs;"
              + " use acquireAsync(...) or tryAcquire() there");
    }
    long start = nanoTime();
    Entry.Waiter w = new Entry.Waiter(start, start + waitNanos);
    Entry e;
    boolean drive;
    while (true) {
      e = enter(name);
      synchronized (e) {
        if (e.retired) {
          continue;
        }
        if (e.held == null && !e.driving && !e.hasWaiters()) {
          e.driving = true;
          drive = true;
        } else if (waitNanos == 0) {
          throw timeoutException(e, w);
        } else {
          e.waiters().addLast(w);
          drive = false;
        }
        break;
      }
    }
    if (drive) {
      Attempt a;
      try {
        a = attemptRemote(e, waitNanos == 0);
      } catch (RuntimeException ex) {
        stopDriving(e);
        if (ex instanceof LockException) {
          throw ex;
        }
        // every failure a caller sees extends LockException
        throw new LockException("unexpected failure acquiring lock '" + name + "': " + ex, ex);
      }
      if (a.lease != null) {
        LeaseImpl lease = a.lease;
        synchronized (e) {
          e.driving = false;
          e.held = lease;
        }
        if (closed) {
          // close() ran during the attempt and could not see this lease: give it back.
          try {
            release(lease);
          } catch (RuntimeException ex) {
            log.debug(
                "Could not release lock '{}' acquired while closing: {}", name, ex.toString());
          }
          throw new IllegalStateException(
              "lock registry of owner " + ownerId + " was closed while acquiring '" + name + "'");
        }
        afterAcquired(lease, nanoTime() - start, a);
        return lease;
      }
      if (waitNanos == 0) {
        stopDriving(e);
        throw timeoutException(e, w);
      }
      synchronized (e) {
        e.waiters().addFirst(w);
      }
      scheduleDrive(e, nextBackoff(e));
    }
    scheduleTimeout(e, w);
    return awaitSync(e, w);
  }

  CompletableFuture<Lease> acquireAsync(String name, Duration waitAtMost) {
    checkOpen();
    long waitNanos = clampWait(waitAtMost, name);
    long start = nanoTime();
    Entry.Waiter w = new Entry.Waiter(start, start + waitNanos);
    boolean drive;
    Entry e;
    while (true) {
      e = enter(name);
      synchronized (e) {
        if (e.retired) {
          continue;
        }
        drive = e.held == null && !e.driving && !e.hasWaiters();
        if (drive) {
          e.driving = true;
        } else if (waitNanos == 0) {
          // One attempt is what a zero wait asks for, and someone here holds or is already
          // trying: like tryAcquire(), answer at once without a remote call.
          w.future.completeExceptionally(timeoutException(e, w));
          return w.future;
        }
        e.waiters().addLast(w);
        break;
      }
    }
    Entry slot = e;
    w.future.whenComplete(
        (lease, failure) -> {
          if (failure != null) {
            // cancelled, timed out or failed, by us or from outside: leave nothing behind
            w.cancelTimeout();
            removeWaiter(slot, w);
          }
        });
    if (waitNanos > 0) {
      // A zero wait is timed out by the driver right after its one attempt.
      scheduleTimeout(e, w);
    }
    if (drive) {
      scheduleDrive(e, 0);
    }
    return w.future;
  }

  private static long clampWait(Duration waitAtMost, String name) {
    Objects.requireNonNull(waitAtMost, "waitAtMost");
    if (waitAtMost.isNegative()) {
      throw new IllegalArgumentException(
          "waitAtMost must not be negative for lock '" + name + "', was " + waitAtMost);
    }
    return waitAtMost.compareTo(Duration.ofNanos(FOREVER_NANOS)) > 0
        ? FOREVER_NANOS
        : waitAtMost.toNanos();
  }

  private Lease awaitSync(Entry e, Entry.Waiter w) {
    try {
      return w.future.get();
    } catch (InterruptedException ie) {
      LockInterruptedException ex =
          new LockInterruptedException("interrupted while waiting for lock '" + e.name + "'", ie);
      if (w.future.completeExceptionally(ex)) {
        w.cancelTimeout();
        removeWaiter(e, w);
        Thread.currentThread().interrupt();
        throw ex;
      }
      // The lease arrived at the same moment: give it back, we were interrupted.
      Lease got =
          w.future.isDone() && !w.future.isCompletedExceptionally() ? w.future.join() : null;
      if (got != null) {
        try {
          got.release();
        } catch (RuntimeException re) {
          ex.addSuppressed(re);
        }
      }
      Thread.currentThread().interrupt();
      throw ex;
    } catch (ExecutionException ee) {
      Throwable cause = ee.getCause();
      if (cause instanceof LockException le) {
        throw le;
      }
      throw new LockException("acquiring lock '" + e.name + "' failed: " + cause, cause);
    } catch (CancellationException ce) {
      throw timeoutException(e, w);
    }
  }

  private void scheduleTimeout(Entry e, Entry.Waiter w) {
    long delay = w.deadlineNanos - nanoTime();
    if (delay >= FOREVER_NANOS / 2) {
      return;
    }
    try {
      w.timeoutTask =
          scheduler.schedule(() -> timeOut(e, w), Math.max(0, delay), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException rex) {
      w.future.completeExceptionally(new LockException("registry closed", rex));
    }
    if (w.future.isDone()) {
      w.cancelTimeout();
    }
  }

  private void timeOut(Entry e, Entry.Waiter w) {
    if (w.future.completeExceptionally(timeoutException(e, w))) {
      removeWaiter(e, w);
    }
  }

  /**
   * How a wait that ran out ends: {@link LockTimeoutException} if the lock was seen held during the
   * wait (here or in the store), {@link StoreUnavailableException} if it never was because the
   * store kept failing transiently (an outage is not contention), with the last store error as
   * cause.
   */
  private LockException timeoutException(Entry e, Entry.Waiter w) {
    Throwable transientCause = e.lastTransient;
    boolean seenHeld;
    synchronized (e) {
      seenHeld = e.held != null || e.seenHeldSince(w.startNanos);
    }
    Duration wait = Duration.ofNanos(w.deadlineNanos - w.startNanos);
    if (!seenHeld && transientCause != null) {
      return new StoreUnavailableException(
          "lock '"
              + e.name
              + "' in "
              + store.describe()
              + " could not be acquired within the wait of "
              + wait
              + ": the store was unavailable (transient failures after retries) and nobody was"
              + " seen holding the lock; last error: "
              + transientCause.getMessage(),
          transientCause);
    }
    return new LockTimeoutException(
        "lock '"
            + e.name
            + "' in "
            + store.describe()
            + (transientCause == null
                ? " stayed held by another owner for the whole wait of "
                : " could not be acquired (held by another owner or the store failing"
                    + " transiently) within the wait of ")
            + Duration.ofNanos(w.deadlineNanos - w.startNanos),
        transientCause);
  }

  private void removeWaiter(Entry e, Entry.Waiter w) {
    synchronized (e) {
      if (e.waiters != null) {
        e.waiters.remove(w);
      }
    }
    maybeRetire(e);
  }

  private void stopDriving(Entry e) {
    boolean keepGoing;
    synchronized (e) {
      e.purgeDoneWaiters();
      keepGoing = e.held == null && e.hasWaiters();
      e.driving = keepGoing;
    }
    if (keepGoing) {
      scheduleDrive(e, nextBackoff(e));
    } else {
      maybeRetire(e);
    }
  }

  private long nextBackoff(Entry e) {
    int a = e.attempt;
    if (a < 30) {
      e.attempt = a + 1;
    }
    long delay = backoff.delayNanos(a, random.getAsDouble());
    // Poll no later than the moment the observed holder turns stale, so that a dead holder is
    // taken over within its TTL (plus one poll interval to observe its last version). Once that
    // moment has passed (the takeover or its read failed transiently), back off as usual: a
    // delay of "now" would retry in a tight loop and storm the object.
    long untilStale = e.observedVersion == null ? Long.MAX_VALUE : e.staleAtNanos - nanoTime();
    if (untilStale > 0) {
      delay = Math.min(delay, untilStale);
    }
    return Math.max(1, delay);
  }

  private void scheduleDrive(Entry e, long delayNanos) {
    try {
      scheduler.schedule(() -> driveStep(e), delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException rex) {
      failWaiters(
          e, new LockException("registry closed while waiting for lock '" + e.name + "'", rex));
    }
  }

  private void failWaiters(Entry e, LockException ex) {
    List<Entry.Waiter> ws;
    synchronized (e) {
      ws = e.waiters != null ? new ArrayList<>(e.waiters) : List.of();
      if (e.waiters != null) {
        e.waiters.clear();
      }
      e.driving = false;
    }
    for (Entry.Waiter w : ws) {
      w.future.completeExceptionally(ex);
    }
    maybeRetire(e);
  }

  private void driveStep(Entry e) {
    if (closed) {
      failWaiters(e, new LockException("registry closed while waiting for lock '" + e.name + "'"));
      return;
    }
    if (!keepDriving(e)) {
      maybeRetire(e);
      return;
    }
    Attempt a;
    try {
      a = attemptRemote(e, false);
    } catch (LockException ex) {
      failWaiters(e, ex);
      return;
    } catch (RuntimeException ex) {
      log.error("Unexpected failure while acquiring lock '{}'", e.name, ex);
      failWaiters(e, new LockException("unexpected failure acquiring lock '" + e.name + "'", ex));
      return;
    }
    if (a.lease != null) {
      deliver(e, a.lease, a);
      return;
    }
    long now = nanoTime();
    List<Entry.Waiter> expired = new ArrayList<>();
    synchronized (e) {
      if (e.waiters != null) {
        for (Entry.Waiter w : e.waiters) {
          if (now - w.deadlineNanos >= 0) {
            expired.add(w);
          }
        }
      }
    }
    for (Entry.Waiter w : expired) {
      timeOut(e, w);
    }
    if (!keepDriving(e)) {
      maybeRetire(e);
      return;
    }
    scheduleDrive(e, nextBackoff(e));
  }

  /** Drops finished waiters; stops driving (and says so) if none is left. */
  private boolean keepDriving(Entry e) {
    synchronized (e) {
      e.purgeDoneWaiters();
      if (!e.hasWaiters()) {
        e.driving = false;
      }
      return e.driving;
    }
  }

  /** Hands a fresh lease to the first waiter still waiting, or releases it if none is left. */
  private void deliver(Entry e, LeaseImpl lease, @Nullable Attempt a) {
    while (true) {
      Entry.Waiter w;
      synchronized (e) {
        e.purgeDoneWaiters();
        w = e.waiters != null ? e.waiters.pollFirst() : null;
        e.held = lease;
        e.driving = false;
      }
      if (w == null) {
        log.debug("Nobody is waiting any more for lock '{}'; releasing it again", e.name);
        releaseQuietly(lease, "unclaimed");
        return;
      }
      if (w.future.isDone()) {
        continue;
      }
      // Completing the future runs the caller's dependent actions: the lease must already be
      // refreshed automatically by then (a release cancels it), and listeners must have heard of
      // it first. The completion itself goes through the trampoline, after every state change.
      scheduleFirstRefresh(lease);
      w.cancelTimeout();
      notifyAcquired(lease, nanoTime() - w.startNanos, a);
      Entry.Waiter chosen = w;
      Completions.run(
          () -> {
            if (!chosen.future.complete(lease)) {
              // cancelled or timed out from outside meanwhile: nobody will release it
              releaseQuietly(lease, "unclaimed");
            }
          });
      return;
    }
  }

  private void releaseQuietly(LeaseImpl lease, String why) {
    try {
      release(lease);
    } catch (RuntimeException ex) {
      log.warn("Could not release {} lock '{}': {}", why, lease.name(), ex.toString());
    }
  }

  private void afterAcquired(LeaseImpl lease, long waitedNanos, @Nullable Attempt a) {
    scheduleFirstRefresh(lease);
    notifyAcquired(lease, waitedNanos, a);
  }

  private void scheduleFirstRefresh(LeaseImpl lease) {
    // A lease confirmed late (an ambiguous create resolved on a later attempt) is counted from
    // its first send, so it may have less time left than usual: refresh it sooner then.
    long left = lease.healthyUntilNanos - nanoTime();
    scheduleRefresh(lease, Math.max(0, Math.min(refreshDelayNanos(), left / 2)));
  }

  private void notifyAcquired(LeaseImpl lease, long waitedNanos, @Nullable Attempt a) {
    listeners.acquired(lease, Duration.ofNanos(Math.max(0, waitedNanos)));
    if (a != null && a.takenOverFrom != null) {
      listeners.staleTakeover(lease, a.takenOverFrom.version().generation());
    }
  }

  /** The outcome of one acquisition attempt. */
  static final class Attempt {
    static final Attempt BUSY = new Attempt(null, null);
    final @Nullable LeaseImpl lease;
    final @Nullable StoredLock takenOverFrom;

    Attempt(@Nullable LeaseImpl lease, @Nullable StoredLock takenOverFrom) {
      this.lease = lease;
      this.takenOverFrom = takenOverFrom;
    }
  }

  private Attempt attemptRemote(Entry e, boolean oneShot) {
    int tries = 0;
    while (true) {
      try {
        Attempt a = attemptOnce(e);
        e.transientStreak = 0;
        e.lastTransient = null;
        if (a.lease == null) {
          e.markSeenHeld(nanoTime());
        }
        return a;
      } catch (StoreException ex) {
        if (ex.kind() != StoreException.Kind.TRANSIENT) {
          throw translate(ex, e.name, "acquire");
        }
        e.lastTransient = ex;
        int streak = ++e.transientStreak;
        if (streak == 3 || streak % 20 == 0) {
          log.warn(
              "Lock '{}' in {}: {} transient store failures in a row while acquiring; still"
                  + " trying: {}",
              e.name,
              store.describe(),
              streak,
              ex.getMessage());
        } else {
          log.debug("Transient failure acquiring lock '{}': {}", e.name, ex.getMessage());
        }
        if (!oneShot) {
          return Attempt.BUSY;
        }
        if (++tries >= ONE_SHOT_TRIES) {
          throw new StoreUnavailableException(
              "could not acquire lock '"
                  + e.name
                  + "' in "
                  + store.describe()
                  + ": the store stayed unavailable through "
                  + tries
                  + " attempts",
              ex);
        }
        pause(nextBackoff(e), e.name);
      }
    }
  }

  private void pause(long nanos, String name) {
    try {
      sleeper.sleep(nanos);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new LockInterruptedException("interrupted while retrying lock '" + name + "'", ie);
    }
  }

  private LockRecord newRecord(String nonce) {
    return new LockRecord(ownerId, ownerDescription, nonce, ttl, clock.instant(), 0);
  }

  private Attempt attemptOnce(Entry e) {
    if (e.nonce == null) {
      e.nonce = UUID.randomUUID().toString();
      e.firstCreateSendNanos = Long.MIN_VALUE;
      e.unresolvedCreateSendNanos = Long.MIN_VALUE;
    }
    if (e.observedVersion == null) {
      return create(e, null, 2);
    }
    StoredLock cur = readAndObserve(e);
    if (cur == null) {
      return create(e, null, 2);
    }
    if (cur.hasNonce(e.nonce)) {
      return acquired(e, cur, createdSince(e), null);
    }
    if (isStale(e, cur)) {
      log.debug(
          "Lock '{}' held by {} at {} is stale; taking it over",
          e.name,
          ownerOf(cur),
          cur.version());
      return create(e, cur, 1);
    }
    return Attempt.BUSY;
  }

  private static String ownerOf(StoredLock s) {
    LockRecord r = s.record();
    return r == null
        ? "a non-dimutex writer"
        : "owner " + r.ownerId() + " (" + r.ownerDescription() + ")";
  }

  private Attempt create(Entry e, @Nullable StoredLock replacing, int triesLeft) {
    String nonce = Objects.requireNonNull(e.nonce);
    long send = nanoTime();
    if (e.firstCreateSendNanos == Long.MIN_VALUE) {
      e.firstCreateSendNanos = send;
    }
    LockRecord rec = newRecord(nonce);
    StoreException ambiguous = null;
    try {
      Optional<StoredLock> created =
          store.create(e.name, rec, replacing == null ? null : replacing.version());
      if (created.isPresent()) {
        observeServerTime(created.get().updated(), nanoTime());
        return acquired(e, created.get(), send, replacing);
      }
    } catch (StoreException ex) {
      if (ex.kind() != StoreException.Kind.TRANSIENT) {
        throw translate(ex, e.name, "acquire");
      }
      ambiguous = ex;
      log.debug(
          "Create of lock '{}' had an unknown outcome ({}); reading it back",
          e.name,
          ex.getMessage());
    }
    // This create may have applied unseen if its outcome is unknown, or if the client retries by
    // itself (a 412 can then be the echo of an applied attempt).
    long unresolvedBefore = e.unresolvedCreateSendNanos;
    if ((ambiguous != null || store.clientRetriesMutations())
        && unresolvedBefore == Long.MIN_VALUE) {
      e.unresolvedCreateSendNanos = send;
    }
    StoredLock cur;
    try {
      cur = readAndObserve(e);
    } catch (StoreException ex) {
      if (ambiguous != null) {
        ambiguous.addSuppressed(ex);
        throw ambiguous;
      }
      throw ex;
    }
    if (cur != null && cur.hasNonce(nonce)) {
      return acquired(e, cur, createdSince(e), replacing);
    }
    if (ambiguous != null) {
      throw ambiguous;
    }
    // Refused, and the read-back shows it did not apply either.
    e.unresolvedCreateSendNanos = unresolvedBefore;
    if (cur == null && triesLeft > 1) {
      return create(e, null, triesLeft - 1);
    }
    if (cur != null && replacing == null && isStale(e, cur)) {
      log.debug(
          "Lock '{}' held by {} at {} is stale; taking it over",
          e.name,
          ownerOf(cur),
          cur.version());
      return create(e, cur, 1);
    }
    return Attempt.BUSY;
  }

  /**
   * The send time a lease found by its nonce is counted from: the earliest create of that nonce
   * that may have applied unseen (never a create that was refused, such as the first attempt on a
   * lock that was then held, which would make a takeover resolved by reading back look expired),
   * or, failing any, the very first create of the nonce.
   */
  private static long createdSince(Entry e) {
    return e.unresolvedCreateSendNanos != Long.MIN_VALUE
        ? e.unresolvedCreateSendNanos
        : e.firstCreateSendNanos;
  }

  private @Nullable StoredLock readAndObserve(Entry e) {
    Optional<StoredLock> read = store.read(e.name);
    long recv = nanoTime();
    if (read.isEmpty()) {
      e.observedVersion = null;
      return null;
    }
    StoredLock cur = read.get();
    observeServerTime(cur.updated(), recv);
    if (!cur.version().equals(e.observedVersion)) {
      e.observedVersion = cur.version();
      e.observedSinceNanos = recv;
      e.staleAtNanos = recv + holderTtlNanos(cur);
    }
    return cur;
  }

  private void observeServerTime(@Nullable Instant serverTime, long receivedAtNanos) {
    if (serverTime != null) {
      serverClock.observe(serverTime, receivedAtNanos);
    }
  }

  /**
   * The holder's TTL as written in its object, clamped to the range a builder accepts (1 s to 1
   * day): a corrupt or hostile value can neither overflow the arithmetic nor block the lock for
   * longer than a day.
   */
  private long holderTtlNanos(StoredLock s) {
    LockRecord r = s.record();
    if (r == null) {
      return ttlNanos;
    }
    Duration t = r.ttl();
    if (t.compareTo(RegistrySettings.MAX_TTL) > 0) {
      t = RegistrySettings.MAX_TTL;
    } else if (t.compareTo(RegistrySettings.MIN_TTL) < 0) {
      t = RegistrySettings.MIN_TTL;
    }
    return t.toNanos();
  }

  private boolean isStale(Entry e, StoredLock cur) {
    long now = nanoTime();
    long holderTtl = holderTtlNanos(cur);
    if (cur.version().equals(e.observedVersion) && now - e.observedSinceNanos >= holderTtl) {
      return true;
    }
    return serverSaysStale(cur, now, holderTtl);
  }

  private boolean serverSaysStale(StoredLock cur, long now, long holderTtl) {
    Instant updated = cur.updated();
    long serverNow = serverClock.lowerBoundEpochNanos(now);
    return updated != null
        && serverNow != Long.MIN_VALUE
        && serverNow - ServerClock.epochNanos(updated) >= holderTtl;
  }

  private Attempt acquired(
      Entry e, StoredLock stored, long confirmedSend, @Nullable StoredLock from) {
    LockRecord rec =
        stored.record() != null ? stored.record() : newRecord(Objects.requireNonNull(e.nonce));
    LeaseImpl lease = new LeaseImpl(this, e, stored, rec, confirmedSend, clock.instant());
    e.nonce = null;
    e.observedVersion = null;
    e.attempt = 0;
    if (from != null) {
      log.info(
          "Took over stale lock '{}' in {} from {} (token {}); new token {}",
          e.name,
          store.describe(),
          ownerOf(from),
          from.version().generation(),
          lease.generation);
    } else {
      log.debug("Acquired lock '{}' with token {}", e.name, lease.generation);
    }
    return new Attempt(lease, from);
  }

  // ---------------------------------------------------------------- queries

  boolean isLocked(String name) {
    Optional<StoredLock> cur;
    try {
      cur = store.read(name);
    } catch (StoreException ex) {
      throw translate(ex, name, "read");
    }
    long recv = nanoTime();
    if (cur.isEmpty()) {
      return false;
    }
    StoredLock s = cur.get();
    observeServerTime(s.updated(), recv);
    long holderTtl = holderTtlNanos(s);
    Entry e = existing(name);
    if (e != null) {
      synchronized (e) {
        if (e.held != null && e.held.generation == s.version().generation()) {
          return true;
        }
      }
    }
    return !serverSaysStale(s, recv, holderTtl);
  }

  void forceRelease(String name) {
    try {
      Optional<StoredLock> cur = store.read(name);
      if (cur.isEmpty()) {
        log.debug("forceRelease of lock '{}': nothing to remove", name);
        return;
      }
      StoredLock s = cur.get();
      LockStore.DeleteOutcome o = store.deleteGeneration(name, s.version().generation());
      if (o == LockStore.DeleteOutcome.DELETED) {
        log.info(
            "Force-released lock '{}' in {} held by {} (token {})",
            name,
            store.describe(),
            ownerOf(s),
            s.version().generation());
      } else {
        log.info(
            "forceRelease of lock '{}': it changed after it was read (now {}); nothing removed",
            name,
            o);
      }
    } catch (StoreException ex) {
      throw translate(ex, name, "force-release");
    }
  }

  // ---------------------------------------------------------------- refresh

  private long refreshDelayNanos() {
    long interval = refreshInterval.toNanos();
    return interval - (long) (interval * 0.25 * random.getAsDouble());
  }

  private void scheduleRefresh(LeaseImpl lease, long delayNanos) {
    if (lease.state != LeaseImpl.ACTIVE) {
      return;
    }
    try {
      lease.refreshTask =
          scheduler.schedule(() -> scheduledRefresh(lease), delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException rex) {
      log.debug("Scheduler rejected refresh of lock '{}' (registry closing)", lease.name());
    }
  }

  private void scheduledRefresh(LeaseImpl lease) {
    if (lease.state != LeaseImpl.ACTIVE) {
      return;
    }
    try {
      refreshOnce(lease);
      scheduleRefresh(lease, refreshDelayNanos());
    } catch (LockLostException lost) {
      // already reported by markLost
    } catch (StoreException ex) {
      int failures = lease.countRefreshFailure();
      listeners.refreshFailed(lease, ex);
      if (!lease.isHealthy()) {
        return;
      }
      long left = lease.healthyUntilNanos - nanoTime();
      // Retry within the time left, but never faster than the backoff minimum (halving the time
      // left without a floor sent some 30 writes in the lease's last half second); a retry that
      // would come after the deadline runs at the deadline instead, where it only tells the
      // listeners that the lease is lost.
      long delay =
          Math.min(
              backoff.delayNanos(failures, random.getAsDouble()),
              Math.max(backoff.minNanos(), left / 2));
      delay = Math.max(1, Math.min(delay, left));
      log.warn(
          "Refresh of lock '{}' failed ({} in a row), retrying in {} ms; lease healthy for {} ms more: {}",
          lease.name(),
          failures + 1,
          TimeUnit.NANOSECONDS.toMillis(delay),
          TimeUnit.NANOSECONDS.toMillis(left),
          ex.getMessage());
      scheduleRefresh(lease, delay);
    } catch (LockException ex) {
      markLost(
          lease,
          new LockLostException(
              "refresh of lock '" + lease.name() + "' failed permanently: " + ex.getMessage(), ex),
          false);
    } catch (RuntimeException ex) {
      log.error("Unexpected failure refreshing lock '{}'", lease.name(), ex);
      scheduleRefresh(lease, backoff.maxNanos());
    }
  }

  void manualRefresh(LeaseImpl lease) {
    int tries = 0;
    while (true) {
      try {
        refreshOnce(lease);
        return;
      } catch (StoreException ex) {
        if (++tries >= ONE_SHOT_TRIES || !lease.isHealthy()) {
          lease.checkHealthy();
          throw new StoreUnavailableException(
              "refresh of lock '"
                  + lease.name()
                  + "' failed: the store stayed unavailable through "
                  + tries
                  + " attempts; the lease stays healthy until its deadline",
              ex);
        }
        pause(backoff.delayNanos(tries - 1, random.getAsDouble()), lease.name());
      }
    }
  }

  /**
   * One conditional metadata update. Throws {@link StoreException} (transient, lease still healthy)
   * or {@link LockLostException} (lease lost, listeners told). Listeners are told after the lease's
   * monitor is left.
   */
  private void refreshOnce(LeaseImpl lease) {
    lease.checkHealthy();
    LockLostException lost;
    synchronized (lease) {
      if (lease.state != LeaseImpl.ACTIVE) {
        lease.checkHealthy();
      }
      lost = refreshLocked(lease);
    }
    if (lost != null) {
      markLost(lease, lost, true);
      throw lost;
    }
  }

  private @Nullable LockLostException refreshLocked(LeaseImpl lease) {
    long send = nanoTime();
    LockRecord next = lease.record.nextRefresh();
    ObjectVersion expected = lease.version;
    StoreException ambiguous = null;
    try {
      Optional<StoredLock> r = store.update(lease.name(), expected, next);
      if (r.isPresent()) {
        // conditioned on the metageneration we knew: no earlier unresolved write applied
        confirm(lease, r.get(), next, send);
        return null;
      }
    } catch (StoreException ex) {
      if (ex.kind() != StoreException.Kind.TRANSIENT) {
        throw translate(ex, lease.name(), "refresh");
      }
      ambiguous = ex;
    } catch (RuntimeException ex) {
      // Not a classified store failure (a client bug, a closed transport): the write may still
      // have applied, exactly as after a transient failure.
      ambiguous =
          new StoreException(
              StoreException.Kind.TRANSIENT, 0, "unexpected client failure: " + ex, ex);
    }
    if (ambiguous != null && lease.unresolvedWriteSendNanos == LeaseImpl.NONE) {
      lease.unresolvedWriteSendNanos = send;
    }
    Optional<StoredLock> back;
    try {
      back = store.read(lease.name());
    } catch (StoreException ex) {
      if (ambiguous != null) {
        ambiguous.addSuppressed(ex);
        throw ambiguous;
      }
      if (ex.kind() == StoreException.Kind.TRANSIENT) {
        throw ex;
      }
      throw translate(ex, lease.name(), "refresh");
    }
    if (back.isPresent()) {
      StoredLock cur = back.get();
      if (cur.version().generation() == lease.generation && cur.hasNonce(lease.nonce)) {
        if (cur.version().metageneration() > expected.metageneration()) {
          log.debug(
              "Refresh of lock '{}' had applied after all (read back {})",
              lease.name(),
              cur.version());
          // The write that applied may be an earlier one whose outcome we never learned:
          // count the lease from the earliest such send.
          long unresolved = lease.unresolvedWriteSendNanos;
          confirm(lease, cur, next, unresolved == LeaseImpl.NONE ? send : unresolved);
          return null;
        }
        if (ambiguous != null) {
          throw ambiguous;
        }
      }
    }
    return new LockLostException(
        "lost lock '"
            + lease.name()
            + "' (token "
            + lease.generation
            + "): "
            + (back.isEmpty()
                ? "its object was deleted"
                : "its object is now " + back.get().version() + " of " + ownerOf(back.get()))
            + ". The data it protected may have been touched by another holder.");
  }

  private void confirm(LeaseImpl lease, StoredLock stored, LockRecord written, long send) {
    observeServerTime(stored.updated(), nanoTime());
    lease.version = stored.version();
    lease.record = written;
    lease.confirmedAt = clock.instant();
    lease.refreshFailures = 0;
    lease.unresolvedWriteSendNanos = LeaseImpl.NONE;
    lease.healthyUntilNanos = Math.max(lease.healthyUntilNanos, healthyUntil(send));
    log.debug("Refreshed lock '{}' to {}", lease.name(), stored.version());
  }

  LockLostException expiredException(LeaseImpl lease) {
    return new LockLostException(
        "lease on lock '"
            + lease.name()
            + "' (token "
            + lease.generation
            + ") expired: the store did not confirm a refresh within its TTL of "
            + ttl
            + " minus a safety margin, so another owner may have taken it over. The data it"
            + " protected may have been touched by another holder.");
  }

  /**
   * Turns an active lease lost, tells the listeners once, and frees the local slot: other callers
   * of this registry must not wait behind an owner who may never release (other processes take the
   * lock over after its TTL anyway). A later {@code release()} of the lost lease still reports the
   * loss and never deletes another owner's object.
   */
  void markLost(LeaseImpl lease, LockLostException cause, boolean confirmed) {
    if (!lease.casState(LeaseImpl.ACTIVE, LeaseImpl.LOST)) {
      return;
    }
    lease.lostConfirmed = confirmed;
    lease.lostCause = cause;
    ScheduledFuture<?> task = lease.refreshTask;
    if (task != null) {
      task.cancel(false);
    }
    log.warn("{}", cause.getMessage());
    if (lease.claimLossReport()) {
      listeners.lost(lease, cause);
    }
    freeSlot(lease.entry, lease);
  }

  /** Clears the slot if this lease still holds it, and lets the queued callers drive. */
  private void freeSlot(Entry e, LeaseImpl lease) {
    boolean drive;
    synchronized (e) {
      if (e.held != lease) {
        return;
      }
      e.held = null;
      e.purgeDoneWaiters();
      drive = e.hasWaiters() && !e.driving;
      if (drive) {
        e.driving = true;
      }
    }
    if (drive) {
      scheduleDrive(e, 0);
    } else {
      maybeRetire(e);
    }
  }

  // ---------------------------------------------------------------- release

  void release(LeaseImpl lease) {
    Entry e = lease.entry;
    // Health is judged before the lease's monitor is taken: an expiry found here is reported to
    // the listeners without holding it.
    boolean healthyBefore = lease.isHealthy();
    LeaseImpl successor = null;
    LockLostException lost = null;
    LockException failure = null;
    boolean mine = false;
    try {
      synchronized (lease) {
        if (lease.state == LeaseImpl.RELEASED) {
          return;
        }
        int prior = lease.getAndSetState(LeaseImpl.RELEASED);
        mine = true;
        boolean healthy =
            healthyBefore && prior == LeaseImpl.ACTIVE && nanoTime() - lease.healthyUntilNanos < 0;
        boolean wasConfirmedLost = prior == LeaseImpl.LOST && lease.lostConfirmed;
        LockLostException priorLoss = lease.lostCause;
        ScheduledFuture<?> task = lease.refreshTask;
        if (task != null) {
          task.cancel(false);
        }
        if (healthy && hasLiveWaiter(e)) {
          try {
            successor = handOver(lease);
          } catch (LockLostException ex) {
            lost = ex;
          }
        }
        boolean deleted = false;
        if (successor == null && lost == null && !wasConfirmedLost) {
          try {
            successor = deleteForRelease(lease, healthy);
            deleted = true;
          } catch (LockLostException ex) {
            lost = ex;
          } catch (LockException ex) {
            failure = ex;
          } catch (RuntimeException ex) {
            failure =
                new LockException(
                    "could not release lock '"
                        + lease.name()
                        + "' in "
                        + store.describe()
                        + ": unexpected failure; the lock expires after its TTL of "
                        + ttl,
                    ex);
          }
        }
        if (lost == null && !healthy && !deleted) {
          // An expired lease whose object was still ours (the conditional delete succeeded) was
          // never taken over, so only a lease we could not delete is reported as lost.
          failure = null;
          lost =
              priorLoss != null
                  ? new LockLostException(priorLoss.getMessage(), priorLoss)
                  : expiredException(lease);
        }
      }
    } finally {
      // Whatever happened (even an Error), never leave the slot held by this released lease:
      // local waiters would hang behind it.
      if (mine && successor == null) {
        freeSlot(e, lease);
      }
    }
    if (lost != null) {
      if (lease.lostCause == null) {
        lease.lostCause = lost;
      }
      if (lease.claimLossReport()) {
        listeners.lost(lease, lost);
      }
      log.warn("{}", lost.getMessage());
    } else if (failure == null) {
      listeners.released(lease, Duration.ofNanos(Math.max(0, nanoTime() - lease.acquiredNanos)));
    }
    if (successor != null) {
      deliver(e, successor, null);
    }
    if (lost != null) {
      throw lost;
    }
    if (failure != null) {
      throw failure;
    }
  }

  private boolean hasLiveWaiter(Entry e) {
    synchronized (e) {
      e.purgeDoneWaiters();
      return e.hasWaiters() && !closed;
    }
  }

  /**
   * Local hand-over: replaces our object by a new generation for the next local waiter in one
   * conditional write (ifGenerationMatch and ifMetagenerationMatch of our lease). The successor
   * gets a new fencing token and nonce; the object is never absent in between.
   *
   * @return the successor's lease, or null if the hand-over did not happen (the caller then
   *     deletes); a hand-over whose outcome stayed unknown is remembered on the lease, so that the
   *     delete recognises it if it lands late
   */
  private @Nullable LeaseImpl handOver(LeaseImpl lease) {
    String nonce = UUID.randomUUID().toString();
    LockRecord rec = newRecord(nonce);
    long send = nanoTime();
    boolean ambiguous = false;
    try {
      Optional<StoredLock> r = store.create(lease.name(), rec, lease.version);
      if (r.isPresent()) {
        observeServerTime(r.get().updated(), nanoTime());
        log.debug(
            "Handed lock '{}' over locally: token {} -> {}",
            lease.name(),
            lease.generation,
            r.get().version().generation());
        return new LeaseImpl(this, lease.entry, r.get(), rec, send, clock.instant());
      }
    } catch (StoreException ex) {
      if (ex.kind() != StoreException.Kind.TRANSIENT) {
        return null;
      }
      ambiguous = true;
    } catch (RuntimeException ex) {
      // Not a classified store failure (a client bug, a closed transport): the outcome is just as
      // unknown, and escaping here would leave the entry held by the released lease.
      log.warn("Hand-over of lock '{}' failed unexpectedly: {}", lease.name(), ex.toString());
      ambiguous = true;
    }
    if (ambiguous) {
      // It may still land, even after any read-back: the delete path must recognise it.
      lease.pendingHandOver = new LeaseImpl.PendingHandOver(nonce, rec, send);
    }
    Optional<StoredLock> back = null;
    for (int i = 0; back == null; i++) {
      try {
        back = store.read(lease.name());
      } catch (StoreException ex) {
        if (i >= 2 || ex.kind() != StoreException.Kind.TRANSIENT) {
          return null;
        }
        try {
          pause(backoff.delayNanos(i, random.getAsDouble()), lease.name());
        } catch (LockInterruptedException ie) {
          // Interrupted (the flag is set again): stop retrying, but never leave the release
          // half done; the delete path recognises the successor object if it exists.
          return null;
        }
      }
    }
    if (back.isPresent() && back.get().hasNonce(nonce)) {
      lease.pendingHandOver = null;
      return new LeaseImpl(this, lease.entry, back.get(), rec, send, clock.instant());
    }
    if (back.isPresent()
        && back.get().hasNonce(lease.nonce)
        && back.get().version().generation() == lease.generation) {
      return null; // still ours: not applied (yet); fall back to delete
    }
    if (ambiguous) {
      return null;
    }
    throw new LockLostException(
        "lost lock '"
            + lease.name()
            + "' (token "
            + lease.generation
            + ") before its release: "
            + (back.isEmpty()
                ? "its object had been deleted"
                : "its object is now " + back.get().version() + " of " + ownerOf(back.get()))
            + ". The data it protected may have been touched by another holder.");
  }

  /**
   * Deletes our object conditionally.
   *
   * @return null once deleted, or the lease of a local hand-over of ours that landed late, for the
   *     waiter it was meant for
   */
  private @Nullable LeaseImpl deleteForRelease(LeaseImpl lease, boolean healthyAtSend) {
    boolean echoPossible = store.clientRetriesMutations();
    long budgetEnd = nanoTime() + RELEASE_BUDGET_NANOS;
    int tries = 0;
    ObjectVersion target = lease.version;
    while (true) {
      LockStore.DeleteOutcome o;
      try {
        o = store.delete(lease.name(), target);
      } catch (StoreException ex) {
        if (ex.kind() != StoreException.Kind.TRANSIENT) {
          throw translate(ex, lease.name(), "release");
        }
        echoPossible = true;
        if (nanoTime() - budgetEnd >= 0 || ++tries >= 8) {
          throw new StoreUnavailableException(
              "could not release lock '"
                  + lease.name()
                  + "' in "
                  + store.describe()
                  + ": the store stayed unavailable; the lock expires after its TTL of "
                  + ttl,
              ex);
        }
        log.debug(
            "Release of lock '{}' failed transiently, retrying: {}", lease.name(), ex.getMessage());
        pause(backoff.delayNanos(tries - 1, random.getAsDouble()), lease.name());
        continue;
      }
      if (o == LockStore.DeleteOutcome.DELETED) {
        log.debug("Released lock '{}' (token {})", lease.name(), lease.generation);
        return null;
      }
      // While our lease was healthy nobody else could legally take the lock over, so after an
      // attempt with an unknown outcome, an object that is gone (or re-created since) was
      // deleted by that attempt of ours.
      boolean ourEcho = echoPossible && healthyAtSend;
      if (o == LockStore.DeleteOutcome.PRECONDITION_FAILED) {
        Optional<StoredLock> back;
        try {
          back = store.read(lease.name());
        } catch (StoreException ex) {
          if (ourEcho) {
            return null;
          }
          throw new LockException(
              "could not confirm the release of lock '"
                  + lease.name()
                  + "' in "
                  + store.describe()
                  + "; it expires after its TTL of "
                  + ttl,
              ex);
        }
        LeaseImpl.PendingHandOver pending = lease.pendingHandOver;
        if (back.isPresent() && pending != null && back.get().hasNonce(pending.nonce())) {
          lease.pendingHandOver = null;
          if (hasLiveWaiter(lease.entry)) {
            // A local hand-over of ours landed late: it is the waiter's lock, counted from the
            // hand-over's send.
            log.debug("Lock '{}' was handed over late; delivering it", lease.name());
            return new LeaseImpl(
                this,
                lease.entry,
                back.get(),
                pending.record(),
                pending.sendNanos(),
                clock.instant());
          }
          log.debug("Lock '{}' was replaced by our own hand-over; deleting that", lease.name());
          target = back.get().version();
          continue;
        }
        if (back.isPresent()
            && back.get().version().generation() == lease.generation
            && back.get().hasNonce(lease.nonce)
            && ++tries < 8) {
          // Still our acquisition (same generation, our nonce): only the metageneration moved,
          // by a refresh of ours whose response was lost. Delete at the version we now know.
          log.debug(
              "Lock '{}' is still ours at {} (an earlier refresh had applied); deleting that",
              lease.name(),
              back.get().version());
          target = back.get().version();
          continue;
        }
        if (ourEcho
            && (back.isEmpty() || back.get().version().generation() != target.generation())) {
          log.debug("Release of lock '{}' had applied on an earlier attempt", lease.name());
          return null;
        }
      } else if (ourEcho) {
        log.debug("Release of lock '{}' had applied on an earlier attempt", lease.name());
        return null;
      }
      throw new LockLostException(
          "lock '"
              + lease.name()
              + "' (token "
              + lease.generation
              + ") had been lost before its release: "
              + (o == LockStore.DeleteOutcome.NOT_FOUND
                  ? "its object had been deleted"
                  : "its object had been replaced by another owner")
              + "; nothing was deleted. The data it protected may have been touched by another"
              + " holder.");
    }
  }

  // ---------------------------------------------------------------- errors

  LockException translate(StoreException ex, String name, String action) {
    String where = "lock '" + name + "' in " + store.describe();
    return switch (ex.kind()) {
      case CONFIGURATION ->
          new LockConfigurationException(
              "cannot " + action + " " + where + ": " + ex.getMessage(), ex);
      case TRANSIENT ->
          new LockException(
              "cannot " + action + " " + where + ", the store is unavailable: " + ex.getMessage(),
              ex);
      case FATAL ->
          new LockException("cannot " + action + " " + where + ": " + ex.getMessage(), ex);
    };
  }

  // ---------------------------------------------------------------- reentrant view support

  Entry entryForView(String name) {
    while (true) {
      Entry e = enter(name);
      synchronized (e) {
        if (!e.retired) {
          return e;
        }
      }
    }
  }

  /**
   * Builds a {@link StoreLockRegistry} over a store of your own. Every setter validates at once;
   * {@link #build(LockStore)} copies the state, so the builder can be reused.
   */
  public static final class Builder extends RegistryBuilder<Builder> {

    private Builder() {}

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * Validates the combination and builds a registry over the given store.
     *
     * @param store the store of lock objects
     * @return a new registry
     * @throws IllegalArgumentException if the refresh interval is not shorter than half the TTL
     */
    public StoreLockRegistry build(LockStore store) {
      Objects.requireNonNull(store, "store");
      return new StoreLockRegistry(settings(), store);
    }
  }

  /**
   * Builds a registry from settings made by a {@link RegistryBuilder} (the GCS registry's builder
   * uses this).
   *
   * @param settings the validated settings
   * @param store the store of lock objects
   * @return a new registry
   */
  public static StoreLockRegistry create(RegistrySettings settings, LockStore store) {
    return new StoreLockRegistry(
        Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(store, "store"));
  }
}
