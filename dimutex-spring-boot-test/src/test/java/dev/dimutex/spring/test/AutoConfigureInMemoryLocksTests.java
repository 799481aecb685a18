package dev.dimutex.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.Lease;
import dev.dimutex.LockRegistry;
import dev.dimutex.gcs.GcsLockRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;

// An emulator host that nothing listens on: the test fails if the starter builds a GCS registry.
@SpringBootTest(properties = "dimutex.gcs.emulator-host=127.0.0.1:1")
@AutoConfigureInMemoryLocks
class AutoConfigureInMemoryLocksTests {

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  @Autowired LockRegistry registry;

  @Test
  void theContextStartsWithoutABucketAndLocksInMemory() {
    assertThat(registry).isNotInstanceOf(GcsLockRegistry.class);
    try (Lease lease = registry.obtain("job").acquire(Duration.ofSeconds(1))) {
      assertThat(registry.obtain("job").tryAcquire()).isEmpty();
      assertThat(lease.isHealthy()).isTrue();
    }
  }
}
