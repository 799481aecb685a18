package dev.dimutex.readme;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import dev.dimutex.Lease;
import dev.dimutex.LockRegistry;
import dev.dimutex.Mutex;
import dev.dimutex.emulator.EmulatorStorage;
import dev.dimutex.emulator.GcsEmulator;
import dev.dimutex.gcs.GcsLockRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongConsumer;

/** README: "Using the library without Spring". Exercised by {@link ReadmeExamplesTest}. */
final class ReadmeExamplesPlainJava {

  private ReadmeExamplesPlainJava() {}

  // --- README: create a registry (real GCS) ---
  static LockRegistry productionRegistry() {
    // Application Default Credentials: gcloud auth application-default login, or the
    // service account of the VM / Cloud Run service / GKE pod.
    Storage storage = StorageOptions.getDefaultInstance().getService();
    return GcsLockRegistry.builder(storage, "my-bucket")
        .prefix("locks/") // default
        .ttl(Duration.ofSeconds(60)) // default: a crashed holder's lock is free after this
        .build();
  }

  // --- README: create a registry (emulator, for tests and local runs) ---
  static GcsLockRegistry emulatorRegistry(GcsEmulator emulator) {
    Storage storage = EmulatorStorage.create(emulator);
    return GcsLockRegistry.builder(storage, "my-bucket").ttl(Duration.ofSeconds(10)).build();
  }

  // --- README: run a job on one machine at a time, skip if another runs it ---
  static boolean runNightlyReport(LockRegistry registry, LongConsumer writeReport) {
    Mutex mutex = registry.obtain("nightly-report");
    Optional<Lease> lease = mutex.tryAcquire(); // one attempt, no waiting
    if (lease.isEmpty()) {
      return false; // another machine is running it
    }
    try (Lease held = lease.get()) {
      writeReport.accept(held.fencingToken()); // pass the token to what the lock protects
      return true;
    }
  }

  // --- README: wait for the lock, check the lease between steps of a long job ---
  static void updateAccount(LockRegistry registry, String accountId, Runnable[] steps) {
    try (Lease lease = registry.obtain("account-" + accountId).acquire(Duration.ofSeconds(10))) {
      for (Runnable step : steps) {
        lease.checkHealthy(); // throws LockLostException if ownership may have been lost
        step.run();
      }
    } // released here, also on exceptions; LockTimeoutException if not acquired within 10 s
  }
}
