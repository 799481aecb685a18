package dev.dimutex.chaos;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Builds the GCS clients of the harness and the workers: HTTP transport, no credentials, and retry
 * settings scaled to a TTL of seconds (the client's defaults wait up to 32 s between attempts).
 */
public final class ChaosStorage {

  /** The query parameter that tags a worker's requests in the emulator's request log. */
  public static final String TAG_PARAMETER = "userProject";

  /** Metadata key of the shared counter's value. */
  public static final String COUNT = "count";

  /** Metadata key of the nonce of the write that produced the counter's value. */
  public static final String WRITER = "writer";

  private ChaosStorage() {}

  /**
   * Creates a client.
   *
   * @param baseUrl the emulator's base URL
   * @param tag if not null, appended to every request as {@code userProject=<tag>} (a parameter GCS
   *     accepts on every call) so that the emulator's request log shows which worker sent it
   * @return the client
   */
  public static Storage create(String baseUrl, @Nullable String tag) {
    NetHttpTransport.Builder transport = new NetHttpTransport.Builder();
    if (tag != null) {
      String suffix = TAG_PARAMETER + "=" + URLEncoder.encode(tag, StandardCharsets.UTF_8);
      transport.setConnectionFactory(
          url -> {
            String s = url.toString();
            String tagged = s + (s.contains("?") ? "&" : "?") + suffix;
            return (HttpURLConnection) URI.create(tagged).toURL().openConnection();
          });
    }
    NetHttpTransport http = transport.build();
    RetrySettings retry =
        RetrySettings.newBuilder()
            .setMaxAttempts(6)
            .setInitialRetryDelayDuration(Duration.ofMillis(50))
            .setRetryDelayMultiplier(2.0)
            .setMaxRetryDelayDuration(Duration.ofMillis(400))
            .setInitialRpcTimeoutDuration(Duration.ofSeconds(2))
            .setRpcTimeoutMultiplier(1.0)
            .setMaxRpcTimeoutDuration(Duration.ofSeconds(2))
            .setTotalTimeoutDuration(Duration.ofSeconds(4))
            .build();
    return StorageOptions.http()
        .setHost(baseUrl)
        .setProjectId("chaos")
        .setCredentials(NoCredentials.getInstance())
        .setRetrySettings(retry)
        .setTransportOptions(
            HttpTransportOptions.newBuilder()
                .setConnectTimeout(2_000)
                .setReadTimeout(2_000)
                .setHttpTransportFactory(() -> http)
                .build())
        .build()
        .getService();
  }
}
