package dev.dimutex.gcs;

import com.google.cloud.storage.Storage;
import dev.dimutex.emulator.EmulatorStorage;
import dev.dimutex.emulator.GcsEmulator;
import dev.dimutex.emulator.RequestMatcher;
import dev.dimutex.spi.LockStore;
import dev.dimutex.testing.LockStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The store contract on the GCS store, against the in-JVM emulator. */
class GcsLockStoreContractTest extends LockStoreContract {

  private static GcsEmulator emulator;
  private static Storage storage;
  private static GcsLockStore store;

  @BeforeAll
  static void start() {
    emulator = GcsEmulator.builder().bucket("store-contract").start();
    storage = EmulatorStorage.create(emulator);
    store = new GcsLockStore(storage, "store-contract", "locks/");
  }

  @AfterAll
  static void stop() throws Exception {
    store.close();
    storage.close();
    emulator.close();
  }

  @BeforeEach
  void noFaultsLeftOver() {
    emulator.faults().clear();
  }

  @Override
  protected LockStore store() {
    return store;
  }

  @Override
  protected void failNextRequest(int status) {
    emulator.faults().failNext(1, status, RequestMatcher.any());
  }

  @Override
  protected void loseNextAnswer() {
    emulator.faults().dropResponseNext(1, RequestMatcher.any());
  }
}
