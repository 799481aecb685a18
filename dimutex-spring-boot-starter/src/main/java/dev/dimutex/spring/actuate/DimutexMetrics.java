package dev.dimutex.spring.actuate;

import dev.dimutex.Lease;
import dev.dimutex.LockListener;
import dev.dimutex.LockLostException;
import dev.dimutex.spring.DistributedLockObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Micrometer meters for dimutex. Per-lock meters are tagged {@code lock} with the annotation's name
 * template, never with a resolved name, so the number of series stays bounded:
 *
 * <ul>
 *   <li>{@value #ACQUIRE} (timer; tags {@code lock}, {@code outcome} = {@code acquired}, {@code
 *       timed_out} or {@code skipped}): how long annotated calls took to get, or give up on, the
 *       lock;
 *   <li>{@value #OUTCOMES} (counter; same tags): annotated calls by outcome;
 *   <li>{@value #HELD} (long task timer; tag {@code lock}): locks held now and for how long;
 *   <li>{@value #REFRESH_FAILURES} (counter): lease refreshes that failed and will be retried;
 *   <li>{@value #LOST} (counter): leases that turned unhealthy;
 *   <li>{@value #TAKEOVERS} (counter): stale locks taken over from a dead holder.
 * </ul>
 */
public class DimutexMetrics implements DistributedLockObserver, LockListener {

  /** Name of the acquire timer. */
  public static final String ACQUIRE = "dimutex.lock.acquire";

  /** Name of the outcome counter. */
  public static final String OUTCOMES = "dimutex.lock.outcomes";

  /** Name of the held-duration long task timer. */
  public static final String HELD = "dimutex.lock.held";

  /** Name of the refresh failure counter. */
  public static final String REFRESH_FAILURES = "dimutex.lease.refresh.failures";

  /** Name of the lost lease counter. */
  public static final String LOST = "dimutex.lease.lost";

  /** Name of the stale takeover counter. */
  public static final String TAKEOVERS = "dimutex.lease.stale.takeovers";

  private final MeterRegistry registry;
  private final Counter refreshFailures;
  private final Counter lost;
  private final Counter takeovers;

  /**
   * Creates the meters.
   *
   * @param registry where to register them
   */
  public DimutexMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.refreshFailures =
        Counter.builder(REFRESH_FAILURES)
            .description("Lease refreshes that failed and will be retried")
            .register(registry);
    this.lost =
        Counter.builder(LOST)
            .description("Leases that turned unhealthy: ownership may have been lost")
            .register(registry);
    this.takeovers =
        Counter.builder(TAKEOVERS)
            .description("Locks taken over because the previous holder's lease was stale")
            .register(registry);
  }

  @Override
  public void acquired(String nameTemplate, Duration waited) {
    outcome(nameTemplate, "acquired", waited);
  }

  @Override
  public void timedOut(String nameTemplate, Duration waited) {
    outcome(nameTemplate, "timed_out", waited);
  }

  @Override
  public void skipped(String nameTemplate, Duration waited) {
    outcome(nameTemplate, "skipped", waited);
  }

  @Override
  public void unavailable(String nameTemplate, Duration waited) {
    outcome(nameTemplate, "unavailable", waited);
  }

  private void outcome(String nameTemplate, String outcome, Duration waited) {
    Timer.builder(ACQUIRE)
        .description("Time taken by @DistributedLock calls to acquire the lock or give up")
        .tag("lock", nameTemplate)
        .tag("outcome", outcome)
        .register(registry)
        .record(waited);
    Counter.builder(OUTCOMES)
        .description("@DistributedLock calls by outcome")
        .tag("lock", nameTemplate)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  @Override
  public HoldTimer holdStarted(String nameTemplate) {
    LongTaskTimer.Sample sample =
        LongTaskTimer.builder(HELD)
            .description("Locks held by @DistributedLock calls")
            .tag("lock", nameTemplate)
            .register(registry)
            .start();
    return sample::stop;
  }

  @Override
  public void onRefreshFailed(Lease lease, Throwable cause) {
    refreshFailures.increment();
  }

  @Override
  public void onLost(Lease lease, LockLostException cause) {
    lost.increment();
  }

  @Override
  public void onStaleTakeover(Lease lease, long previousFencingToken) {
    takeovers.increment();
  }
}
