package dev.dimutex.engine;

import dev.dimutex.LeaseInfo;
import dev.dimutex.LockListener;
import dev.dimutex.spi.Sleeper;
import dev.dimutex.spi.TimeSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The options every lock registry shares, written once: {@link StoreLockRegistry.Builder} and
 * {@code GcsLockRegistry.Builder} extend it. Every setter validates at once; {@link #settings()}
 * copies the state into an immutable {@link RegistrySettings}, so a builder can be reused.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class RegistryBuilder<B extends RegistryBuilder<B>> {

  private Duration ttl = RegistrySettings.DEFAULT_TTL;
  private @Nullable Duration refreshInterval;
  private Backoff backoff = Backoff.DEFAULT;
  private Clock clock = Clock.systemUTC();
  private TimeSource timeSource = TimeSource.system();
  private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
  private Sleeper sleeper = Sleeper.system();
  private @Nullable String ownerId;
  private @Nullable ScheduledExecutorService scheduler;
  private int maxConcurrentStoreCalls = RegistrySettings.DEFAULT_MAX_STORE_CALLS;
  private final List<LockListener> listeners = new ArrayList<>();

  /** Creates a builder with the documented defaults. */
  protected RegistryBuilder() {}

  /**
   * Returns this builder as its concrete type.
   *
   * @return {@code this}
   */
  protected abstract B self();

  /**
   * Sets the lease TTL: how long a lock stays held after its holder's last confirmed refresh before
   * others may take it over. Default 60 s: long enough to ride out a few failed refreshes and a
   * long GC pause, short enough that a crashed holder blocks others for about a minute.
   *
   * @param ttl between 1 s and 1 day
   * @return this builder
   * @throws IllegalArgumentException if out of range
   */
  public B ttl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.compareTo(RegistrySettings.MIN_TTL) < 0
        || ttl.compareTo(RegistrySettings.MAX_TTL) > 0) {
      throw new IllegalArgumentException(
          "ttl must be between "
              + RegistrySettings.MIN_TTL
              + " and "
              + RegistrySettings.MAX_TTL
              + ", was "
              + ttl);
    }
    this.ttl = ttl;
    return self();
  }

  /**
   * Sets the interval between automatic refreshes. Default {@code ttl / 6} (10 s for the default
   * TTL): five more refreshes fit before the lease turns unhealthy, so a short outage is ridden
   * out, while a lease costs only one write per interval (GCS sustains about one write per second
   * per object).
   *
   * @param refreshInterval at least 50 ms and shorter than half the TTL (checked when building)
   * @return this builder
   * @throws IllegalArgumentException if below 50 ms
   */
  public B refreshInterval(Duration refreshInterval) {
    Objects.requireNonNull(refreshInterval, "refreshInterval");
    if (refreshInterval.compareTo(RegistrySettings.MIN_REFRESH) < 0) {
      throw new IllegalArgumentException(
          "refreshInterval must be at least "
              + RegistrySettings.MIN_REFRESH
              + ", was "
              + refreshInterval);
    }
    this.refreshInterval = refreshInterval;
    return self();
  }

  /**
   * Sets the backoff of waiters and of retries after transient failures. Default 50 ms growing by 2
   * up to 1 s, with jitter 0.5: a waiting registry polls (with cheap reads) at most twice a second
   * once at the cap.
   *
   * @param min the first delay, positive, at most 1 day
   * @param max the cap, at least {@code min}, at most 1 day
   * @param multiplier growth per retry, at least 1.0
   * @param jitter the fraction of each delay that is randomised away, in [0.0, 1.0)
   * @return this builder
   * @throws IllegalArgumentException naming the parameter and its range
   */
  public B backoff(Duration min, Duration max, double multiplier, double jitter) {
    this.backoff =
        Backoff.of(
            Objects.requireNonNull(min, "backoff min"),
            Objects.requireNonNull(max, "backoff max"),
            multiplier,
            jitter);
    return self();
  }

  /**
   * Sets the clock for timestamps written into lock objects and reported in {@link LeaseInfo}. It
   * is never used to measure durations or to judge staleness. Default {@link Clock#systemUTC()}.
   *
   * @param clock the clock
   * @return this builder
   */
  public B clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /**
   * Sets the monotonic time source for every duration (lease health, staleness, backoff). Default
   * {@link System#nanoTime()}. For tests.
   *
   * @param timeSource the time source
   * @return this builder
   */
  public B timeSource(TimeSource timeSource) {
    this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
    return self();
  }

  /**
   * Sets the random source for jitter, values in [0, 1). Default {@link ThreadLocalRandom}. For
   * tests.
   *
   * @param random the random source
   * @return this builder
   */
  public B random(DoubleSupplier random) {
    this.random = Objects.requireNonNull(random, "random");
    return self();
  }

  /**
   * Sets how blocking operations pause between retries of transient failures. Default: parks the
   * thread. For tests.
   *
   * @param sleeper the sleeper
   * @return this builder
   */
  public B sleeper(Sleeper sleeper) {
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    return self();
  }

  /**
   * Sets the owner id written into lock objects. Default: a random UUID per registry. Two
   * registries must never share an id.
   *
   * @param ownerId a non-blank id of at most 200 characters
   * @return this builder
   * @throws IllegalArgumentException if blank or too long
   */
  public B ownerId(String ownerId) {
    Objects.requireNonNull(ownerId, "ownerId");
    if (ownerId.isBlank() || ownerId.length() > 200) {
      throw new IllegalArgumentException(
          "ownerId must be 1 to 200 non-blank characters, was '" + ownerId + "'");
    }
    this.ownerId = ownerId;
    return self();
  }

  /**
   * Sets the scheduler for refreshes, polling and asynchronous acquisition; with one of your own,
   * the store calls run on its threads too, and it is not shut down when the registry closes.
   * Default: the registry's own threads, which keep thousands of leases on schedule at real GCS
   * latencies: one platform thread for timing, which never blocks, and the blocking store calls on
   * virtual threads where the runtime has them (Java 21+), otherwise on a pool of daemon threads
   * that grows with the calls in flight up to {@link #maxConcurrentStoreCalls(int)} and ends
   * threads idle for 2 s.
   *
   * @param scheduler the scheduler
   * @return this builder
   */
  public B scheduler(ScheduledExecutorService scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return self();
  }

  /**
   * Sets a hard cap on the store calls this registry has in flight at once; further calls queue
   * until one returns, refresh writes ahead of the others (held leases must not run out of time
   * behind a burst of acquisitions). Default {@value RegistrySettings#DEFAULT_MAX_STORE_CALLS}: 8
   * 000 leases refreshed every 10 s at 30 ms per write keep about 24 calls in flight.
   *
   * @param maxConcurrentStoreCalls between 1 and 10 000
   * @return this builder
   * @throws IllegalArgumentException if out of range
   */
  public B maxConcurrentStoreCalls(int maxConcurrentStoreCalls) {
    if (maxConcurrentStoreCalls < 1 || maxConcurrentStoreCalls > 10_000) {
      throw new IllegalArgumentException(
          "maxConcurrentStoreCalls must be between 1 and 10000, was " + maxConcurrentStoreCalls);
    }
    this.maxConcurrentStoreCalls = maxConcurrentStoreCalls;
    return self();
  }

  /**
   * Adds a listener for lock events. Repeatable.
   *
   * @param listener the listener
   * @return this builder
   */
  public B listener(LockListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return self();
  }

  /**
   * Validates the combination and copies it into immutable settings.
   *
   * @return the settings
   * @throws IllegalArgumentException if the refresh interval is not shorter than half the TTL
   */
  protected RegistrySettings settings() {
    Duration refresh = refreshInterval != null ? refreshInterval : ttl.dividedBy(6);
    if (refresh.multipliedBy(2).compareTo(ttl) >= 0) {
      throw new IllegalArgumentException(
          "refreshInterval must be shorter than half the ttl ("
              + ttl.dividedBy(2)
              + "), was "
              + refresh);
    }
    return new RegistrySettings(
        ttl,
        refresh,
        backoff,
        clock,
        timeSource,
        random,
        sleeper,
        ownerId,
        scheduler,
        maxConcurrentStoreCalls,
        listeners);
  }
}
