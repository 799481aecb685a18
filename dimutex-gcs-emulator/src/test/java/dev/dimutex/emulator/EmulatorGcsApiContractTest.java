package dev.dimutex.emulator;

import com.google.cloud.storage.Storage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The GCS API contract against the in-JVM emulator. */
class EmulatorGcsApiContractTest extends AbstractGcsApiContractTest {
  private static GcsEmulator emulator;
  private static Storage storage;

  @BeforeAll
  static void start() {
    emulator = GcsEmulator.builder().bucket("contract-bucket").start();
    storage = EmulatorStorage.create(emulator);
  }

  @AfterAll
  static void stop() throws Exception {
    storage.close();
    emulator.close();
  }

  @Override
  Storage storage() {
    return storage;
  }

  @Override
  String bucket() {
    return "contract-bucket";
  }
}
