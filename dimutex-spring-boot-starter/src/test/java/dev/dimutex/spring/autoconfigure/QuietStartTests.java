package dev.dimutex.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.core.CredentialsProvider;
import com.google.cloud.spring.autoconfigure.core.GcpContextAutoConfiguration;
import com.google.cloud.spring.autoconfigure.storage.GcpStorageAutoConfiguration;
import com.google.cloud.spring.core.GcpProjectIdProvider;
import com.google.cloud.storage.Storage;
import dev.dimutex.LockRegistry;
import dev.dimutex.spring.TestEmulator;
import dev.dimutex.testing.Claim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Starts a whole application, as {@code main} would, with spring-cloud-gcp's own auto-configuration
 * on, and reads what it logs.
 */
@ExtendWith(OutputCaptureExtension.class)
class QuietStartTests {

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({
    GcpContextAutoConfiguration.class,
    GcpStorageAutoConfiguration.class,
    DimutexEmulatorStorageAutoConfiguration.class,
    DimutexAutoConfiguration.class
  })
  static class App {}

  private static ConfigurableApplicationContext start(String... args) {
    return new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .logStartupInfo(false)
        // Command-line arguments outrank the test application.properties, which turns
        // spring-cloud-gcp off for the other tests.
        .run(args);
  }

  @Test
  void startOnAnEmulatorLogsNoCredentialWarningFromSpringCloudGcp(CapturedOutput output) {
    try (ConfigurableApplicationContext context =
        start(
            "--spring.cloud.gcp.core.enabled=true",
            "--spring.cloud.gcp.storage.enabled=true",
            "--dimutex.gcs.bucket=" + TestEmulator.BUCKET,
            "--dimutex.gcs.emulator-host=" + TestEmulator.hostPort())) {
      assertThat(context.getBean(Storage.class).getOptions().getHost())
          .isEqualTo(TestEmulator.url());
      assertThat(context.getBean(LockRegistry.class)).isNotNull();
    }
    assertThat(output).doesNotContain("No core credentials are set");
    assertThat(output).doesNotContain("Exception");
  }

  @Test
  @Claim("C-STA-23")
  @Claim("C-TRB-6")
  void anEmulatorThatIsNotRunningFailsTheStartWithAShortExplanation(CapturedOutput output) {
    assertThatThrownBy(
            () ->
                start(
                    "--spring.cloud.gcp.core.enabled=true",
                    "--spring.cloud.gcp.storage.enabled=true",
                    "--dimutex.gcs.bucket=" + TestEmulator.BUCKET,
                    "--dimutex.gcs.emulator-host=127.0.0.1:1"))
        .isNotNull();
    assertThat(output)
        .contains("APPLICATION FAILED TO START")
        .contains("is not running")
        .contains("127.0.0.1:1");
    assertThat(output.toString().lines().count()).isLessThan(25);
  }

  @Test
  void onAnEmulatorSpringCloudGcpGetsNoCredentialsAndAFixedProjectId() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DimutexEmulatorStorageAutoConfiguration.class))
        .withPropertyValues("dimutex.gcs.emulator-host=" + TestEmulator.hostPort())
        .run(
            context -> {
              assertThat(context.getBean(CredentialsProvider.class).getCredentials()).isNull();
              assertThat(context.getBean(GcpProjectIdProvider.class).getProjectId())
                  .isEqualTo("dimutex-emulator");
            });
  }

  @Test
  void credentialsNamedByTheApplicationAreLeftToSpringCloudGcp() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DimutexEmulatorStorageAutoConfiguration.class))
        .withPropertyValues(
            "dimutex.gcs.emulator-host=" + TestEmulator.hostPort(),
            "spring.cloud.gcp.credentials.location=file:/etc/key.json")
        .run(context -> assertThat(context).doesNotHaveBean(CredentialsProvider.class));
  }

  @Test
  void withoutAnEmulatorNothingIsChangedInSpringCloudGcp() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DimutexEmulatorStorageAutoConfiguration.class))
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(CredentialsProvider.class);
              assertThat(context).doesNotHaveBean(GcpProjectIdProvider.class);
            });
  }
}
