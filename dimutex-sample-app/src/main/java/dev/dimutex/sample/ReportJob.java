package dev.dimutex.sample;

import dev.dimutex.Lease;
import dev.dimutex.spring.CurrentLease;
import dev.dimutex.spring.DistributedLock;
import dev.dimutex.spring.OnHeld;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * A job that must run on one instance of the fleet at a time: the daily report, say. {@link
 * ReportScheduler} triggers it on every instance at the same moments; the lock lets exactly one of
 * them run it and makes the others skip.
 */
@Service
public class ReportJob {

  /** The lock name, shared by every instance. */
  public static final String LOCK = "report-job";

  private static final Logger log = LoggerFactory.getLogger(ReportJob.class);

  private final SampleProperties properties;
  private final CriticalSectionLog history;

  /**
   * Creates the job.
   *
   * @param properties the sample settings (instance id, how long a run takes)
   * @param history where finished runs are recorded
   */
  public ReportJob(SampleProperties properties, CriticalSectionLog history) {
    this.properties = properties;
    this.history = history;
  }

  /**
   * Generates the report if no other instance is generating it right now.
   *
   * <p>{@code onHeld = SKIP}: when another instance holds the lock, the method does not run and
   * returns {@code Optional.empty()}. {@code holdAtLeast} ({@code sample.report.hold-at-least},
   * default 5 s): the lock stays held at least that long after the run started, so an instance
   * whose trigger fires late (a clock a few seconds behind, a busy JVM) finds it still held and
   * skips, instead of running the same occurrence again after a quick run.
   *
   * @return the finished run, or empty if another instance held the lock
   */
  @DistributedLock(
      value = LOCK,
      onHeld = OnHeld.SKIP,
      holdAtLeast = "${sample.report.hold-at-least:5s}")
  public Optional<CriticalSection> generate() {
    Lease lease = CurrentLease.get();
    Instant startedAt = Instant.now();
    long enter = System.nanoTime();
    log.info(
        "{}: RUNNING on instance {} (fencing token {})",
        LOCK,
        properties.instance(),
        lease.fencingToken());
    Work.simulate(properties.report().work());
    CriticalSection run =
        new CriticalSection(
            LOCK, properties.instance(), lease.fencingToken(), startedAt, enter, System.nanoTime());
    history.record(run);
    log.info("{}: finished on instance {}", LOCK, properties.instance());
    return Optional.of(run);
  }
}
