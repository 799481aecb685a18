package dev.dimutex.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.LockRegistry;
import dev.dimutex.emulator.GcsEmulator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/** Runs the README snippets on an emulator, so that they keep compiling and keep working. */
class ReadmeExamplesTest {

  private static GcsEmulator emulator;

  @BeforeAll
  static void startEmulator() {
    emulator = GcsEmulator.builder().bucket("my-bucket").start();
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @Nested
  class WithoutSpring {

    @Test
    void theNightlyReportRunsOnOneRegistryWhileAnotherSkipsIt() {
      try (LockRegistry first = ReadmeExamplesPlainJava.emulatorRegistry(emulator);
          LockRegistry second = ReadmeExamplesPlainJava.emulatorRegistry(emulator)) {
        AtomicBoolean secondRan = new AtomicBoolean(true);

        boolean firstRan =
            ReadmeExamplesPlainJava.runNightlyReport(
                first,
                token ->
                    secondRan.set(ReadmeExamplesPlainJava.runNightlyReport(second, ignored -> {})));

        assertThat(firstRan).isTrue();
        assertThat(secondRan).isFalse();
        assertThat(ReadmeExamplesPlainJava.runNightlyReport(second, token -> {})).isTrue();
      }
    }

    @Test
    void theAccountUpdateRunsEveryStepUnderOneLease() {
      AtomicInteger steps = new AtomicInteger();
      try (LockRegistry registry = ReadmeExamplesPlainJava.emulatorRegistry(emulator)) {
        ReadmeExamplesPlainJava.updateAccount(
            registry,
            "42",
            new Runnable[] {
              steps::incrementAndGet, steps::incrementAndGet, steps::incrementAndGet
            });
        assertThat(registry.obtain("account-42").isLocked()).isFalse();
      }
      assertThat(steps).hasValue(3);
    }
  }

  @Nested
  class WithTheStarter {

    @Test
    void theAnnotatedAndInjectedExamplesRunUnderTheirLocks() {
      try (ConfigurableApplicationContext context =
          new SpringApplicationBuilder(StarterExamplesApp.class)
              .web(WebApplicationType.NONE)
              .run(
                  "--sample.embedded-emulator=false",
                  "--dimutex.gcs.bucket=my-bucket",
                  "--dimutex.gcs.emulator-host=" + emulator.baseUrl())) {
        ReadmeExamplesStarter.ReportJob report =
            context.getBean(ReadmeExamplesStarter.ReportJob.class);
        report.nightlyReport();
        long orderToken = context.getBean(ReadmeExamplesStarter.OrderService.class).process("7");
        int batches = context.getBean(ReadmeExamplesStarter.ReindexJob.class).reindex(4);
        long accountToken =
            context.getBean(ReadmeExamplesStarter.AccountService.class).transfer("7");

        assertThat(report.tokens()).hasSize(1);
        assertThat(orderToken).isNotEqualTo(accountToken);
        assertThat(batches).isEqualTo(4);
      }
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({
    ReadmeExamplesStarter.ReportJob.class,
    ReadmeExamplesStarter.OrderService.class,
    ReadmeExamplesStarter.ReindexJob.class,
    ReadmeExamplesStarter.AccountService.class
  })
  static class StarterExamplesApp {}
}
