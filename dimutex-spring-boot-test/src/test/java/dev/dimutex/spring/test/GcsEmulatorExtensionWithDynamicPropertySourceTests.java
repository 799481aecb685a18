package dev.dimutex.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.Lease;
import dev.dimutex.LockRegistry;
import dev.dimutex.emulator.GcsEmulator;
import dev.dimutex.emulator.junit.GcsEmulatorExtension;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The emulator's own JUnit extension together with {@code @DynamicPropertySource}: the extension
 * starts the emulator before the Spring context, whose properties are read lazily.
 */
@ExtendWith(GcsEmulatorExtension.class)
@SpringBootTest(properties = "dimutex.gcs.bucket=" + GcsEmulatorExtension.DEFAULT_BUCKET)
class GcsEmulatorExtensionWithDynamicPropertySourceTests {

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  private static @Nullable GcsEmulator emulator;

  @BeforeAll
  static void keep(GcsEmulator started) {
    emulator = started;
  }

  @DynamicPropertySource
  static void dimutex(DynamicPropertyRegistry registry) {
    registry.add("dimutex.gcs.emulator-host", () -> running().baseUrl());
  }

  private static GcsEmulator running() {
    GcsEmulator started = emulator;
    if (started == null) {
      throw new IllegalStateException("GcsEmulatorExtension has not started the emulator yet");
    }
    return started;
  }

  @Autowired LockRegistry registry;

  @Test
  void theRegistryTalksToTheExtensionsEmulator() {
    try (Lease lease = registry.obtain("job").acquire(Duration.ofSeconds(5))) {
      assertThat(lease.isHealthy()).isTrue();
      assertThat(running().requestLog().entries())
          .extracting(entry -> entry.request().object())
          .contains("locks/job");
    }
  }
}
