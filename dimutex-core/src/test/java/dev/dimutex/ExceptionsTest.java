package dev.dimutex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.Storage;
import dev.dimutex.emulator.junit.GcsEmulatorExtension;
import dev.dimutex.gcs.GcsLockRegistry;
import dev.dimutex.testing.Claim;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The exception convention the README states: a lock that cannot be had, kept or named is a
 * (unchecked) {@link LockException}; misuse of the API gets the JDK's exceptions, as {@code
 * java.util.concurrent.locks} does.
 */
@ExtendWith(GcsEmulatorExtension.class)
class ExceptionsTest {

  private static final String BUCKET = GcsEmulatorExtension.DEFAULT_BUCKET;

  @Test
  @Claim("C-API-1")
  void everyLockFailureIsAnUncheckedLockException() {
    List<Class<? extends LockException>> failures =
        List.of(
            LockTimeoutException.class,
            LockLostException.class,
            LockConfigurationException.class,
            StoreUnavailableException.class,
            InvalidLockNameException.class,
            LockInterruptedException.class);

    assertThat(LockException.class).isAssignableTo(RuntimeException.class);
    assertThat(failures).allSatisfy(type -> assertThat(type).isAssignableTo(LockException.class));
  }

  @Test
  @Claim("C-API-1")
  void anInvalidLockNameIsALockException(Storage storage) {
    try (GcsLockRegistry registry = GcsLockRegistry.builder(storage, BUCKET).build()) {
      assertThatThrownBy(() -> registry.obtain("")).isInstanceOf(InvalidLockNameException.class);
    }
  }

  @Test
  @Claim("C-API-2")
  @Claim("C-GUA-13")
  void misuseGetsTheJdksExceptions(Storage storage) {
    assertThatThrownBy(() -> GcsLockRegistry.builder(storage, BUCKET).ttl(Duration.ZERO))
        .isExactlyInstanceOf(IllegalArgumentException.class);
    GcsLockRegistry registry = GcsLockRegistry.builder(storage, BUCKET).build();
    Mutex mutex = registry.obtain("misuse-" + System.nanoTime());
    Lock lock = mutex.asLock();

    assertThatThrownBy(() -> mutex.tryAcquire(Duration.ofSeconds(-1)))
        .isExactlyInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(lock::newCondition).isExactlyInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(lock::unlock).isExactlyInstanceOf(IllegalMonitorStateException.class);

    registry.close();
    assertThatThrownBy(() -> registry.obtain("after-close"))
        .isExactlyInstanceOf(IllegalStateException.class);
  }
}
