package dev.dimutex.spring.autoconfigure;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;

/**
 * Picks the {@link Storage} client that dimutex uses: a client of the configured emulator (built
 * here, without credentials, and closed with the context), or the application's Storage bean.
 */
final class GcsStorageFactory {

  private static final Logger log = LoggerFactory.getLogger(GcsStorageFactory.class);

  /** Environment variable that the Go, Python and Node GCS clients honour. */
  static final String EMULATOR_ENV = "STORAGE_EMULATOR_HOST";

  /** Property that names the emulator; wins over {@link #EMULATOR_ENV}. */
  static final String EMULATOR_PROPERTY = "dimutex.gcs.emulator-host";

  private final Storage storage;
  private final boolean ownStorage;
  private final @Nullable String emulatorUrl;

  private GcsStorageFactory(Storage storage, boolean ownStorage, @Nullable String emulatorUrl) {
    this.storage = storage;
    this.ownStorage = ownStorage;
    this.emulatorUrl = emulatorUrl;
  }

  /**
   * Picks the client: the emulator's when one is configured (reusing the context's Storage bean if
   * it already talks to that emulator), else the context's Storage bean.
   *
   * @param gcs the GCS properties
   * @param contextStorage the application's Storage bean, if unique
   * @param environmentEmulatorHost the value of STORAGE_EMULATOR_HOST, if set
   * @throws DimutexStartupException if there is neither an emulator nor a Storage bean
   */
  static GcsStorageFactory create(
      GcsProperties gcs,
      @Nullable Storage contextStorage,
      @Nullable String environmentEmulatorHost) {
    String host = firstNonBlank(gcs.getEmulatorHost(), environmentEmulatorHost);
    if (host != null) {
      String url = emulatorUrl(host);
      if (contextStorage != null && url.equals(hostOf(contextStorage))) {
        return new GcsStorageFactory(contextStorage, false, url);
      }
      Storage storage = emulatorStorage(host, gcs.getEmulatorProjectId(), "lock registry");
      return new GcsStorageFactory(storage, true, url);
    }
    if (contextStorage == null) {
      throw new DimutexStartupException(
          "dimutex needs a Google Cloud Storage client, but the application has no single bean of"
              + " type com.google.cloud.storage.Storage and no emulator is configured.",
          "Let spring-cloud-gcp create the Storage bean (keep spring-cloud-gcp-starter-storage on"
              + " the classpath with spring.cloud.gcp.storage.enabled=true and credentials"
              + " available), define a Storage bean yourself, or point dimutex at an emulator with"
              + " dimutex.gcs.emulator-host or the environment variable STORAGE_EMULATOR_HOST.");
    }
    return new GcsStorageFactory(contextStorage, false, null);
  }

  /**
   * Returns the configured emulator host: {@code dimutex.gcs.emulator-host}, else {@code
   * STORAGE_EMULATOR_HOST}.
   *
   * @return the host, or null if no emulator is configured
   */
  static @Nullable String emulatorHost(Environment environment) {
    return firstNonBlank(
        environment.getProperty(EMULATOR_PROPERTY), environment.getProperty(EMULATOR_ENV));
  }

  private static @Nullable String firstNonBlank(@Nullable String first, @Nullable String second) {
    if (first != null && !first.isBlank()) {
      return first;
    }
    return second != null && !second.isBlank() ? second : null;
  }

  private static @Nullable String hostOf(Storage storage) {
    try {
      String host = storage.getOptions().getHost();
      return host == null ? null : emulatorUrl(host);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Builds a client for the emulator at {@code host}, without credentials, and logs it. */
  static Storage emulatorStorage(String host, String projectId, String purpose) {
    String url = emulatorUrl(host);
    log.info(
        "dimutex: using the GCS emulator at {} without credentials for the {}"
            + " (dimutex.gcs.emulator-host or {} is set)",
        url,
        purpose,
        EMULATOR_ENV);
    return StorageOptions.http()
        .setHost(url)
        .setProjectId(projectId)
        .setCredentials(NoCredentials.getInstance())
        .build()
        .getService();
  }

  /** Turns {@code host:port} or {@code http://host:port/} into {@code http://host:port}. */
  static String emulatorUrl(String host) {
    String url = host.trim();
    String lower = url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      url = "http://" + url;
    }
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    return url;
  }

  Storage storage() {
    return storage;
  }

  @Nullable String emulatorUrl() {
    return emulatorUrl;
  }

  /** Closes the client if this factory built it. */
  void destroy() throws Exception {
    if (ownStorage) {
      storage.close();
    }
  }
}
