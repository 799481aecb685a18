package dev.dimutex.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Storage;
import dev.dimutex.Lease;
import dev.dimutex.emulator.junit.GcsEmulatorExtension;
import dev.dimutex.testing.Claim;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(GcsEmulatorExtension.class)
class CallerSchedulerTest {

  @Test
  @Claim("C-THR-2")
  void closingARegistryLeavesACallerSuppliedSchedulerRunning(Storage storage) {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      GcsLockRegistry registry =
          GcsLockRegistry.builder(storage, GcsEmulatorExtension.DEFAULT_BUCKET)
              .scheduler(scheduler)
              .build();
      Lease lease = registry.obtain("caller-scheduler").acquire(Duration.ofSeconds(5));

      registry.close();

      assertThat(lease.isHealthy()).as("close() released the lease").isFalse();
      assertThat(scheduler.isShutdown()).isFalse();
      assertThat(scheduler.submit(() -> "still runs")).succeedsWithin(Duration.ofSeconds(5));
    } finally {
      scheduler.shutdownNow();
    }
  }
}
