package dev.dimutex.emulator;

import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.util.Objects;

/**
 * Builds {@link Storage} clients for an emulator: HTTP/JSON transport, {@link NoCredentials},
 * project {@code test-project}, connect and read timeouts of 5 seconds (so that a dropped response
 * surfaces quickly as an I/O error, which the client retries for idempotent calls). Needs {@code
 * google-cloud-storage} on the class path (an optional dependency of this module).
 */
public final class EmulatorStorage {
  private static final int TIMEOUT_MILLIS = 5_000;

  private EmulatorStorage() {}

  /**
   * Creates a client for an emulator.
   *
   * @param emulator a running emulator
   * @return a new client; close it when done
   */
  public static Storage create(GcsEmulator emulator) {
    return create(emulator.baseUrl());
  }

  /**
   * Creates a client for an emulator at a URL, for example a standalone one.
   *
   * @param baseUrl the emulator URL, like {@code http://127.0.0.1:4443}
   * @return a new client; close it when done
   */
  public static Storage create(String baseUrl) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    return StorageOptions.http()
        .setHost(baseUrl)
        .setProjectId("test-project")
        .setCredentials(NoCredentials.getInstance())
        .setTransportOptions(
            HttpTransportOptions.newBuilder()
                .setConnectTimeout(TIMEOUT_MILLIS)
                .setReadTimeout(TIMEOUT_MILLIS)
                .build())
        .build()
        .getService();
  }
}
