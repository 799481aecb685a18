package dev.dimutex.sample;

import dev.dimutex.spring.CurrentLease;
import dev.dimutex.spring.DistributedLock;
import dev.dimutex.spring.OnHeld;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * A long job in steps that checks, before each step, that it still holds its lock. The lease is
 * refreshed in the background while the job runs; if refreshing fails for too long (the store
 * unreachable, or another client took the lock over after a pause longer than the TTL), {@code
 * checkHealthy()} throws and the job stops before touching more data.
 */
@Service
public class MigrationJob {

  /** The lock name. */
  public static final String LOCK = "migration";

  private static final Logger log = LoggerFactory.getLogger(MigrationJob.class);

  private final SampleProperties properties;
  private final CriticalSectionLog history;

  /**
   * Creates the job.
   *
   * @param properties the sample settings (steps, step duration, instance id)
   * @param history where finished runs are recorded
   */
  public MigrationJob(SampleProperties properties, CriticalSectionLog history) {
    this.properties = properties;
    this.history = history;
  }

  /**
   * Runs the migration unless it is already running somewhere: {@code onHeld = FAIL} with no wait
   * makes a second caller fail at once.
   *
   * @return a summary of the run
   * @throws dev.dimutex.LockTimeoutException if another caller is running the migration
   * @throws dev.dimutex.LockLostException if the lease was lost between two steps
   */
  @DistributedLock(value = LOCK, onHeld = OnHeld.FAIL)
  public Migration run() {
    long token = CurrentLease.get().fencingToken();
    Instant startedAt = Instant.now();
    long enter = System.nanoTime();
    int steps = properties.migration().steps();
    log.info("{}: started on instance {} (fencing token {})", LOCK, properties.instance(), token);
    for (int step = 1; step <= steps; step++) {
      // Between steps: stop if ownership may have been lost, before the next write.
      CurrentLease.get().checkHealthy();
      Work.simulate(properties.migration().stepDuration());
      log.info("{}: step {}/{} done, lease healthy", LOCK, step, steps);
    }
    long exit = System.nanoTime();
    history.record(new CriticalSection(LOCK, properties.instance(), token, startedAt, enter, exit));
    log.info("{}: finished on instance {}", LOCK, properties.instance());
    return new Migration(
        properties.instance(), token, steps, Duration.ofNanos(exit - enter).toMillis());
  }

  /**
   * The outcome of a migration run.
   *
   * @param instance the instance that ran it
   * @param fencingToken the lease's fencing token
   * @param steps how many steps completed
   * @param tookMs how long it took
   */
  public record Migration(String instance, long fencingToken, int steps, long tookMs) {}
}
