package dev.dimutex.engine;

import dev.dimutex.LockListener;
import dev.dimutex.spi.Sleeper;
import dev.dimutex.spi.TimeSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The validated, immutable options of one registry, made by {@link RegistryBuilder#settings()}.
 * Nothing in a registry changes after it is built.
 */
public final class RegistrySettings {

  /** Default TTL. */
  static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

  static final Duration MIN_TTL = Duration.ofSeconds(1);
  static final Duration MAX_TTL = Duration.ofDays(1);
  static final Duration MIN_REFRESH = Duration.ofMillis(50);

  /** Platform threads of the registry's own timer (it never blocks on the store). */
  static final int TIMER_THREADS = 1;

  /** Default cap on store calls in flight. */
  static final int DEFAULT_MAX_STORE_CALLS = 64;

  private final Duration ttl;
  private final Duration refreshInterval;
  private final Backoff backoff;
  private final Clock clock;
  private final TimeSource timeSource;
  private final DoubleSupplier random;
  private final Sleeper sleeper;
  private final String ownerId;
  private final @Nullable ScheduledExecutorService scheduler;
  private final int maxConcurrentStoreCalls;
  private final List<LockListener> listeners;

  RegistrySettings(
      Duration ttl,
      Duration refreshInterval,
      Backoff backoff,
      Clock clock,
      TimeSource timeSource,
      DoubleSupplier random,
      Sleeper sleeper,
      @Nullable String ownerId,
      @Nullable ScheduledExecutorService scheduler,
      int maxConcurrentStoreCalls,
      List<LockListener> listeners) {
    this.ttl = ttl;
    this.refreshInterval = refreshInterval;
    this.backoff = backoff;
    this.clock = clock;
    this.timeSource = timeSource;
    this.random = random;
    this.sleeper = sleeper;
    this.ownerId = ownerId != null ? ownerId : UUID.randomUUID().toString();
    this.scheduler = scheduler;
    this.maxConcurrentStoreCalls = maxConcurrentStoreCalls;
    this.listeners = List.copyOf(listeners);
  }

  /**
   * Returns the TTL written into every lock object.
   *
   * @return the TTL, between 1 s and 1 day
   */
  public Duration ttl() {
    return ttl;
  }

  /**
   * Returns the interval between automatic refreshes.
   *
   * @return the interval, shorter than half the TTL
   */
  public Duration refreshInterval() {
    return refreshInterval;
  }

  /**
   * Returns the backoff of waiters and retries.
   *
   * @return the backoff
   */
  public Backoff backoff() {
    return backoff;
  }

  /**
   * Returns the clock for timestamps written into objects (never for durations).
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * Returns the monotonic time source for every duration.
   *
   * @return the time source
   */
  public TimeSource timeSource() {
    return timeSource;
  }

  /**
   * Returns the random source for jitter.
   *
   * @return values in [0, 1)
   */
  public DoubleSupplier random() {
    return random;
  }

  /**
   * Returns how blocking operations pause between retries.
   *
   * @return the sleeper
   */
  public Sleeper sleeper() {
    return sleeper;
  }

  /**
   * Returns the owner id written into lock objects (a random UUID unless configured).
   *
   * @return the owner id
   */
  public String ownerId() {
    return ownerId;
  }

  /**
   * Returns the caller-supplied scheduler, if any.
   *
   * @return the scheduler, or null for the registry's own
   */
  public @Nullable ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /**
   * Returns the cap on store calls in flight at once.
   *
   * @return between 1 and 10 000
   */
  public int maxConcurrentStoreCalls() {
    return maxConcurrentStoreCalls;
  }

  /**
   * Returns the listeners, in registration order.
   *
   * @return an unmodifiable list
   */
  public List<LockListener> listeners() {
    return listeners;
  }
}
