package dev.dimutex.emulator;

import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The same GCS API contract against fsouza/fake-gcs-server 1.55.1. Requires Docker: without a
 * Docker engine (as on the project's build machines) every test is skipped, with that reason. What
 * that server does not implement is skipped test by test, with the reason in the assumption.
 */
@ExtendWith(RequiresDocker.class)
@DisplayName("GCS API contract on fake-gcs-server 1.55.1 (requires Docker)")
class FakeGcsServerGcsApiContractRequiresDockerTest extends AbstractGcsApiContractTest {
  private static final String BUCKET = "contract-bucket";

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
  Storage storage() {
    return storage;
  }

  @Override
  String bucket() {
    return BUCKET;
  }

  /** Documented gap of fake-gcs-server up to 1.55.1: delete and patch ignore preconditions. */
  @Override
  boolean enforcesPreconditionsOnDeleteAndPatch() {
    return false;
  }

  /** Documented gap of fake-gcs-server up to 1.55.1: metageneration stays 1. */
  @Override
  boolean tracksMetageneration() {
    return false;
  }

  /** fake-gcs-server does not answer 304 for failed ifGenerationNotMatch reads. */
  @Override
  boolean answersNotModifiedOnReads() {
    return false;
  }

  /** Not verified against fake-gcs-server (no Docker here); skipped rather than guessed. */
  @Override
  boolean refusesDeletingNonEmptyBuckets() {
    return false;
  }

  /**
   * fake-gcs-server builds resumable-session URLs from its -external-url, which cannot name the
   * port Docker maps at random; skipped.
   */
  @Override
  boolean supportsResumableUploads() {
    return false;
  }
}
