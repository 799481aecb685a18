package dev.dimutex.sample;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Triggers the {@link ReportJob} on every instance, on the same cron schedule, and logs whether
 * this instance ran it or skipped it because another instance held the lock.
 *
 * <p>The trigger and the locked method are on two beans so that the skip is visible here: a method
 * annotated with both {@code @Scheduled} and {@code @DistributedLock(onHeld = SKIP)} works just as
 * well, but nobody is told when it is skipped.
 */
@Component
public class ReportScheduler {

  private static final Logger log = LoggerFactory.getLogger(ReportScheduler.class);

  private final ReportJob job;
  private final SampleProperties properties;
  private final AtomicLong skipped = new AtomicLong();

  /**
   * Creates the scheduler.
   *
   * @param job the locked job
   * @param properties the sample settings
   */
  public ReportScheduler(ReportJob job, SampleProperties properties) {
    this.job = job;
    this.properties = properties;
  }

  /** Runs on every instance at each cron tick ({@code sample.report.cron}). */
  @Scheduled(cron = "${sample.report.cron:*/10 * * * * *}")
  public void tick() {
    Optional<CriticalSection> run = job.generate();
    if (run.isEmpty()) {
      skipped.incrementAndGet();
      log.info(
          "{}: SKIPPED on instance {}: another instance holds the lock",
          ReportJob.LOCK,
          properties.instance());
    }
  }

  /**
   * Returns how many ticks of this instance were skipped because another instance held the lock.
   *
   * @return the skip count
   */
  public long skippedCount() {
    return skipped.get();
  }
}
