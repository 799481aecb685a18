package dev.dimutex.gcs;

import static dev.dimutex.emulator.RequestMatcher.object;
import static dev.dimutex.emulator.RequestMatcher.operation;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import dev.dimutex.Lease;
import dev.dimutex.emulator.GcsEmulator;
import dev.dimutex.emulator.Operation;
import dev.dimutex.emulator.junit.GcsEmulatorExtension;
import dev.dimutex.testing.Claim;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the registry does with the {@code Storage} it is given. */
@ExtendWith(GcsEmulatorExtension.class)
class CallerStorageTest {

  private static final String BUCKET = GcsEmulatorExtension.DEFAULT_BUCKET;

  @Test
  @Claim("C-STO-1")
  @Claim("C-GUA-3")
  void theRegistrysCopyDoesNotRetryWhileTheCallersStorageKeepsItsRetriesAndStaysOpen(
      Storage storage, GcsEmulator emulator) {
    int attempts = storage.getOptions().getRetrySettings().getMaxAttempts();
    GcsLockRegistry registry = GcsLockRegistry.builder(storage, BUCKET).build();
    emulator
        .faults()
        .dropResponseNext(
            1, object(BUCKET, "locks/caller-storage").and(operation(Operation.OBJECT_INSERT)));

    registry.obtain("caller-storage").acquire(Duration.ofSeconds(5)).release();
    registry.close();

    // the lost create was resolved by reading the object back, not by a retry of the client
    assertThat(emulator.requestLog().count(operation(Operation.OBJECT_INSERT))).isEqualTo(1);

    assertThat(attempts).as("the emulator client retries by default").isGreaterThan(1);
    assertThat(storage.getOptions().getRetrySettings().getMaxAttempts()).isEqualTo(attempts);
    assertThat(storage.get(BlobId.of(BUCKET, "locks/caller-storage"))).isNull();
  }

  @Test
  @Claim("C-STO-2")
  void aStorageThatCannotBeCopiedKeepsItsOwnRetriesAndALostCreateIsStillResolved(
      Storage storage, GcsEmulator emulator) {
    Storage uncopyable = withoutOptions(storage);
    String name = "uncopyable-" + System.nanoTime();
    emulator
        .faults()
        .dropResponseNext(
            1, object(BUCKET, "locks/" + name).and(operation(Operation.OBJECT_INSERT)));

    try (GcsLockRegistry registry = GcsLockRegistry.builder(uncopyable, BUCKET).build()) {
      Optional<Lease> lease = registry.obtain(name).tryAcquire();

      assertThat(lease).isPresent();
      assertThat(lease.orElseThrow().isHealthy()).isTrue();
      // the client's own retry of the dropped create: it found the object there (412)
      assertThat(
              emulator.requestLog().entries().stream()
                  .filter(e -> e.request().operation() == Operation.OBJECT_INSERT)
                  .filter(e -> ("locks/" + name).equals(e.request().object()))
                  .map(e -> e.status()))
          .containsExactly(200, 412);
    }
  }

  /** The given client, except that its options cannot be read (so it cannot be copied). */
  private static Storage withoutOptions(Storage storage) {
    return (Storage)
        Proxy.newProxyInstance(
            Storage.class.getClassLoader(),
            new Class<?>[] {Storage.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getOptions")) {
                throw new UnsupportedOperationException("this Storage cannot be copied");
              }
              try {
                return method.invoke(storage, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
