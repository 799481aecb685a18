package dev.dimutex.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dimutex.emulator.GcsEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of the sample app, each a full application context with its own web server and lock
 * registry, share one emulator, as two JVMs would share one bucket.
 */
class TwoInstancesTest {

  private static GcsEmulator emulator;
  private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();

  @BeforeAll
  static void startTwoInstancesOnOneEmulator() {
    emulator = GcsEmulator.builder().bucket("dimutex-sample").start();
    for (String id : List.of("A", "B")) {
      instances.add(
          new SpringApplicationBuilder(SampleApplication.class)
              .run(
                  "--server.port=0",
                  "--sample.instance-id=" + id,
                  "--sample.embedded-emulator=false",
                  "--dimutex.gcs.emulator-host=" + emulator.baseUrl(),
                  "--dimutex.ttl=10s",
                  // Both instances fire every second; a run takes 300 ms.
                  "--sample.report.cron=* * * * * *",
                  "--sample.report.work=300ms",
                  "--sample.report.hold-at-least=100ms"));
    }
  }

  @AfterAll
  static void stop() {
    instances.forEach(ConfigurableApplicationContext::close);
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void neverRunTheScheduledJobAtTheSameTime() {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> allRuns().size() >= 5 && skips() >= 3);

    List<CriticalSection> runs = allRuns();
    for (int i = 1; i < runs.size(); i++) {
      CriticalSection previous = runs.get(i - 1);
      CriticalSection run = runs.get(i);
      assertThat(run.overlaps(previous))
          .as("run on %s overlaps the run on %s before it", run.instance(), previous.instance())
          .isFalse();
    }
    assertThat(runs).extracting(CriticalSection::fencingToken).doesNotHaveDuplicates();
  }

  @Test
  void answerHttpOnTheirOwnPorts() {
    List<String> names =
        instances.stream()
            .map(
                context ->
                    new Http(
                            context
                                .getEnvironment()
                                .getRequiredProperty("local.server.port", Integer.class))
                        .get("/")
                        .json()
                        .path("instance")
                        .asString())
            .toList();

    assertThat(names).containsExactly("A", "B");
  }

  private static List<CriticalSection> allRuns() {
    return instances.stream()
        .flatMap(
            context -> context.getBean(CriticalSectionLog.class).sections(ReportJob.LOCK).stream())
        .sorted(Comparator.comparingLong(CriticalSection::enterNanos))
        .toList();
  }

  private static long skips() {
    return instances.stream()
        .mapToLong(context -> context.getBean(ReportScheduler.class).skippedCount())
        .sum();
  }
}
