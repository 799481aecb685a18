package dev.dimutex.gcs;

import com.google.cloud.storage.Storage;
import dev.dimutex.LockRegistry;
import dev.dimutex.emulator.EmulatorStorage;
import dev.dimutex.emulator.GcsEmulator;
import dev.dimutex.testing.LockRegistryContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The lock contract on the GCS store, against the in-JVM emulator. */
class GcsEmulatorContractTest extends LockRegistryContract {

  private static GcsEmulator emulator;
  private static Storage storage;

  @BeforeAll
  static void start() {
    emulator = GcsEmulator.builder().bucket("contract").start();
    storage = EmulatorStorage.create(emulator);
  }

  @AfterAll
  static void stop() throws Exception {
    storage.close();
    emulator.close();
  }

  @Override
  protected LockRegistry createRegistry() {
    return GcsLockRegistry.builder(storage, "contract")
        .ttl(Duration.ofSeconds(3))
        .refreshInterval(Duration.ofMillis(300))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(100), 2.0, 0.5)
        .build();
  }
}
