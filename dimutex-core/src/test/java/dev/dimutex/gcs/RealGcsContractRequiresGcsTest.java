package dev.dimutex.gcs;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import dev.dimutex.LockRegistry;
import dev.dimutex.testing.LockRegistryContract;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lock contract on real Google Cloud Storage. Requires a bucket and credentials: set {@code
 * DIMUTEX_TEST_GCS_BUCKET} to a bucket the Application Default Credentials may write to (objects go
 * under {@code dimutex-contract/}); without it every test is skipped, with that reason.
 *
 * <p>The refresh interval is 1.5 s, so that one lock object never sees more than the one write per
 * second that GCS sustains per object name; waiters only read while the lock is held.
 */
@ExtendWith(RequiresGcsBucket.class)
@DisplayName("Lock contract on real GCS (requires DIMUTEX_TEST_GCS_BUCKET)")
class RealGcsContractRequiresGcsTest extends LockRegistryContract {

  private static Storage storage;

  @BeforeAll
  static void connect() {
    if (RequiresGcsBucket.bucket() == null) {
      return; // every test is skipped with the reason RequiresGcsBucket gives
    }
    storage = StorageOptions.http().build().getService();
  }

  @AfterAll
  static void disconnect() throws Exception {
    if (storage != null) {
      storage.close();
    }
  }

  @Override
  protected LockRegistry createRegistry() {
    String bucket = Objects.requireNonNull(System.getenv("DIMUTEX_TEST_GCS_BUCKET"));
    return GcsLockRegistry.builder(storage, bucket)
        .prefix("dimutex-contract/")
        .ttl(Duration.ofSeconds(6))
        .refreshInterval(Duration.ofMillis(1500))
        .backoff(Duration.ofMillis(50), Duration.ofMillis(200), 2.0, 0.5)
        .build();
  }
}
