package dev.dimutex.emulator;

import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.time.Duration;

/** Clients for tests that provoke retries: same as EmulatorStorage, with millisecond backoff. */
final class TestClients {
  private TestClients() {}

  static Storage fastRetries(GcsEmulator emulator) {
    return StorageOptions.http()
        .setHost(emulator.baseUrl())
        .setProjectId("test-project")
        .setCredentials(NoCredentials.getInstance())
        .setTransportOptions(
            HttpTransportOptions.newBuilder()
                .setConnectTimeout(5_000)
                .setReadTimeout(5_000)
                .build())
        .setRetrySettings(
            RetrySettings.newBuilder()
                .setMaxAttempts(4)
                .setInitialRetryDelayDuration(Duration.ofMillis(5))
                .setMaxRetryDelayDuration(Duration.ofMillis(20))
                .setRetryDelayMultiplier(2.0)
                .setTotalTimeoutDuration(Duration.ofSeconds(20))
                .setInitialRpcTimeoutDuration(Duration.ofSeconds(5))
                .setMaxRpcTimeoutDuration(Duration.ofSeconds(5))
                .setRpcTimeoutMultiplier(1.0)
                .build())
        .build()
        .getService();
  }
}
