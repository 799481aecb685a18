package dev.dimutex.gcs;

import static dev.dimutex.emulator.RequestMatcher.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.Storage;
import dev.dimutex.Lease;
import dev.dimutex.LockConfigurationException;
import dev.dimutex.emulator.GcsEmulator;
import dev.dimutex.emulator.Operation;
import dev.dimutex.emulator.RequestMatcher;
import dev.dimutex.emulator.junit.GcsEmulatorExtension;
import dev.dimutex.testing.Claim;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How the GCS store treats each failure status of GCS, on the emulator's error responses. */
@ExtendWith(GcsEmulatorExtension.class)
class StatusHandlingEmulatorTest {

  private static final String BUCKET = GcsEmulatorExtension.DEFAULT_BUCKET;

  private GcsEmulator emulator;
  private GcsLockRegistry registry;
  private String name;

  @BeforeEach
  void setUp(GcsEmulator emulator, Storage storage) {
    this.emulator = emulator;
    this.registry =
        GcsLockRegistry.builder(storage, BUCKET)
            .backoff(Duration.ofMillis(10), Duration.ofMillis(50), 2.0, 0.5)
            .build();
    this.name = "status-" + System.nanoTime();
  }

  @AfterEach
  void tearDown() {
    emulator.faults().clear();
    registry.close();
  }

  private RequestMatcher lockInserts() {
    return object(BUCKET, "locks/" + name).and(RequestMatcher.operation(Operation.OBJECT_INSERT));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {408, 409, 429, 500, 503})
  @Claim("C-ERR-1")
  void aOneShotTryRetriesATransientStatusAndGetsTheLock(int status) {
    emulator.faults().failNext(1, status, lockInserts());

    Optional<Lease> lease = registry.obtain(name).tryAcquire();

    assertThat(lease).isPresent();
    assertThat(emulator.requestLog().count(lockInserts())).isGreaterThanOrEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {401, 403})
  @Claim("C-ERR-4")
  @Claim("C-GUA-8")
  @Claim("C-TRB-10")
  void anAuthenticationOrPermissionStatusIsAConfigurationErrorAtOnce(int status) {
    emulator.faults().failNext(1, status, lockInserts());

    assertThatThrownBy(() -> registry.obtain(name).acquire(Duration.ofSeconds(5)))
        .isInstanceOf(LockConfigurationException.class)
        .hasMessageContaining(BUCKET)
        .hasMessageContaining(name);
    assertThat(emulator.requestLog().count(lockInserts())).isEqualTo(1);
  }
}
