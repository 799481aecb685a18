package dev.dimutex.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.Lease;
import dev.dimutex.LockRegistry;
import dev.dimutex.emulator.GcsEmulator;
import dev.dimutex.gcs.GcsLockRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@SpringBootTest
@AutoConfigureGcsEmulator
class AutoConfigureGcsEmulatorTests {

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  @Autowired LockRegistry registry;
  @Autowired GcsEmulator emulator;
  @Autowired Environment environment;

  @Test
  void theStarterUsesTheEmulatorStartedForTheContext() {
    assertThat(registry).isInstanceOf(GcsLockRegistry.class);
    assertThat(((GcsLockRegistry) registry).bucket())
        .isEqualTo(AutoConfigureGcsEmulator.DEFAULT_BUCKET);
    assertThat(environment.getProperty("dimutex.gcs.emulator-host")).isEqualTo(emulator.baseUrl());
    try (Lease lease = registry.obtain("job").acquire(Duration.ofSeconds(5))) {
      assertThat(lease.isHealthy()).isTrue();
      assertThat(emulator.requestLog().entries())
          .extracting(entry -> entry.request().object())
          .contains("locks/job");
    }
  }
}
