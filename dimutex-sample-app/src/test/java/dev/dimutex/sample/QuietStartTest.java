package dev.dimutex.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.LockRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the sample as {@code main} does, on its embedded emulator with spring-cloud-gcp left on,
 * and reads the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class QuietStartTest {

  @Test
  void startsOnTheEmulatorWithoutACredentialWarningOrAStackTrace(CapturedOutput output) {
    try (ConfigurableApplicationContext context =
        SpringApplication.run(
            SampleApplication.class, "--server.port=0", "--sample.report.cron=-")) {
      assertThat(context.getBean(LockRegistry.class)).isNotNull();
    }
    assertThat(output)
        .contains("Embedded GCS emulator listening on")
        .contains("dimutex lock registry: bucket 'dimutex-sample'")
        .doesNotContain("No core credentials are set")
        .doesNotContain("\tat ");
  }
}
