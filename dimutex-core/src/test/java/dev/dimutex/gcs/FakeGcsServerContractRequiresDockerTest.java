package dev.dimutex.gcs;

import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import dev.dimutex.LockRegistry;
import dev.dimutex.emulator.EmulatorStorage;
import dev.dimutex.testing.LockRegistryContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The lock contract on the GCS store against fsouza/fake-gcs-server 1.55.1, a third-party emulator.
 * Requires Docker: without a Docker engine every test is skipped, with that reason.
 *
 * <p>That server ignores preconditions on delete and patch and pins metageneration at 1, so it
 * cannot show that a stale client is fenced off (the ABA, frozen-holder and lost-response tests run
 * on our own emulator only). The contract suite exercises the happy and contended paths, which rest
 * on {@code ifGenerationMatch=0} creates that it does implement.
 */
@ExtendWith(RequiresDocker.class)
@DisplayName("Lock contract on fake-gcs-server 1.55.1 (requires Docker)")
class FakeGcsServerContractRequiresDockerTest extends LockRegistryContract {

  private static final String BUCKET = "lock-contract";

  private static final GenericContainer<?> SERVER =
      new GenericContainer<>(DockerImageName.parse("fsouza/fake-gcs-server:1.55.1"))
          .withCommand("-scheme", "http", "-port", "4443", "-backend", "memory")
          .withExposedPorts(4443)
          .waitingFor(Wait.forHttp("/storage/v1/b").forPort(4443).forStatusCode(200));

  private static Storage storage;

  @BeforeAll
  static void connect() {
    if (!RequiresDocker.available()) {
      return; // every test is skipped with the reason RequiresDocker gives
    }
    SERVER.start();
    storage =
        EmulatorStorage.create("http://" + SERVER.getHost() + ":" + SERVER.getMappedPort(4443));
    if (storage.get(BUCKET) == null) {
      storage.create(BucketInfo.of(BUCKET));
    }
  }

  @AfterAll
  static void disconnect() throws Exception {
    if (storage != null) {
      storage.close();
    }
    if (SERVER.isRunning()) {
      SERVER.stop();
    }
  }

  @Override
  protected LockRegistry createRegistry() {
    return GcsLockRegistry.builder(storage, BUCKET)
        .ttl(Duration.ofSeconds(3))
        .refreshInterval(Duration.ofMillis(300))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(100), 2.0, 0.5)
        .build();
  }
}
