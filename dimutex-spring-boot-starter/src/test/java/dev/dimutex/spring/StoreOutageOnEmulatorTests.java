package dev.dimutex.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import dev.dimutex.LockException;
import dev.dimutex.LockTimeoutException;
import dev.dimutex.StoreUnavailableException;
import dev.dimutex.emulator.GcsEmulator;
import dev.dimutex.emulator.RequestMatcher;
import dev.dimutex.spring.DistributedLockAnnotationTests.OutageJobs;
import dev.dimutex.spring.autoconfigure.DimutexAutoConfiguration;
import dev.dimutex.spring.autoconfigure.DimutexEmulatorStorageAutoConfiguration;
import dev.dimutex.spring.autoconfigure.DimutexMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The real registry on an emulator that answers every call with 503: the interceptor sees the
 * core's {@link StoreUnavailableException}, not contention. The emulator is this class's own, so
 * that its faults touch no other test; they are set once the context has started, since the
 * registry checks its bucket when it is built.
 */
@ExtendWith(OutputCaptureExtension.class)
class StoreOutageOnEmulatorTests {

  private static final String BUCKET = "outage";

  private static GcsEmulator emulator;

  @BeforeAll
  static void startTheEmulator() {
    emulator = GcsEmulator.builder().bucket(BUCKET).start();
  }

  /** From now on (the context has started: the registry checked the bucket), every call fails. */
  private static void failEveryCallWith503() {
    emulator.faults().failRate(1.0, 503, RequestMatcher.any());
  }

  @AfterEach
  void clearTheFaults() {
    emulator.faults().clear();
  }

  @AfterAll
  static void stopTheEmulator() {
    emulator.close();
  }

  /** The emulator's client, retrying 503 twice at short intervals so that the test stays quick. */
  private static Storage quicklyRetryingStorage() {
    return StorageOptions.http()
        .setHost(emulator.baseUrl())
        .setProjectId("outage-test")
        .setCredentials(NoCredentials.getInstance())
        .setRetrySettings(
            RetrySettings.newBuilder()
                .setMaxAttempts(3)
                .setInitialRetryDelayDuration(Duration.ofMillis(10))
                .setMaxRetryDelayDuration(Duration.ofMillis(20))
                .setRetryDelayMultiplier(2.0)
                .setTotalTimeoutDuration(Duration.ofSeconds(5))
                .build())
        .build()
        .getService();
  }

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  DimutexEmulatorStorageAutoConfiguration.class,
                  DimutexAutoConfiguration.class,
                  DimutexMetricsAutoConfiguration.class))
          .withPropertyValues(
              "dimutex.gcs.bucket=" + BUCKET,
              "dimutex.gcs.prefix=outage/",
              "dimutex.gcs.emulator-host=" + emulator.baseUrl())
          .withBean(Storage.class, StoreOutageOnEmulatorTests::quicklyRetryingStorage)
          .withBean(SimpleMeterRegistry.class)
          .withBean(OutageJobs.class);

  private static double outcomes(MeterRegistry meters, String lock, String outcome) {
    return meters
        .get("dimutex.lock.outcomes")
        .tags("lock", lock, "outcome", outcome)
        .counter()
        .count();
  }

  /** The status of the first {@link StorageException} in the cause chain, or -1. */
  private static int storageError(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof StorageException storage) {
        return storage.getCode();
      }
    }
    return -1;
  }

  @Test
  void failThrowsStoreUnavailableCarryingTheLastStoreErrorNotALockTimeout() {
    runner.run(
        context -> {
          OutageJobs jobs = context.getBean(OutageJobs.class);
          failEveryCallWith503();
          Throwable thrown = catchThrowable(jobs::fail);
          assertThat(thrown)
              .isInstanceOf(LockException.class)
              .isInstanceOf(StoreUnavailableException.class)
              .isNotInstanceOf(LockTimeoutException.class)
              .hasMessageContaining("lock store is unavailable")
              .hasMessageContaining("OutageJobs.fail()");
          assertThat(thrown.getCause()).as("the last store error").isNotNull();
          assertThat(storageError(thrown)).as("the 503 in the cause chain").isEqualTo(503);
          assertThat(jobs.calls()).isEmpty();
          assertThat(outcomes(context.getBean(MeterRegistry.class), "outage-fail", "unavailable"))
              .isOne();
        });
  }

  @Test
  void skipDoesNotRunTheMethodWarnsAndRecordsTheOutcomeUnavailable(CapturedOutput output) {
    runner.run(
        context -> {
          OutageJobs jobs = context.getBean(OutageJobs.class);
          failEveryCallWith503();
          jobs.skip();
          assertThat(jobs.calls()).isEmpty();
          MeterRegistry meters = context.getBean(MeterRegistry.class);
          assertThat(outcomes(meters, "outage-skip", "unavailable")).isOne();
          assertThat(meters.find("dimutex.lock.outcomes").tag("outcome", "skipped").counters())
              .isEmpty();
          assertThat(output)
              .contains("WARN")
              .contains("Skipped " + OutageJobs.class.getName() + ".skip()")
              .contains("the lock store is unavailable");
        });
  }
}
