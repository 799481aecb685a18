package dev.dimutex.readme;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Storage;
import dev.dimutex.Lease;
import dev.dimutex.LockRegistry;
import dev.dimutex.emulator.junit.GcsEmulatorExtension;
import dev.dimutex.gcs.GcsLockRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

// --- README: testing your own code with the emulator (dimutex-gcs-emulator, test scope) ---
@ExtendWith(GcsEmulatorExtension.class)
class ReadmeTestingExampleTest {

  @Test
  void aSecondRegistryCannotTakeAHeldLock(Storage storage) {
    String bucket = GcsEmulatorExtension.DEFAULT_BUCKET;
    try (LockRegistry app = GcsLockRegistry.builder(storage, bucket).build();
        LockRegistry otherInstance = GcsLockRegistry.builder(storage, bucket).build()) {
      try (Lease lease = app.obtain("job").acquire(Duration.ofSeconds(5))) {
        assertThat(lease.isHealthy()).isTrue();
        assertThat(otherInstance.obtain("job").tryAcquire()).isEmpty();
      }
      otherInstance
          .obtain("job")
          .tryAcquire()
          .ifPresentOrElse(
              Lease::release,
              () -> {
                throw new AssertionError("the lock should be free after the release");
              });
    }
  }
}
