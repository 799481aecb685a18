package dev.dimutex.spring.autoconfigure;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import dev.dimutex.LockListener;
import dev.dimutex.gcs.GcsLockRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The validated GCS settings and the Storage client that dimutex uses; builds the registries.
 * Closes the client only if it built it (emulator mode).
 */
final class DimutexGcs implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(DimutexGcs.class);

  /** Environment variable that the Go, Python and Node GCS clients honour. */
  static final String EMULATOR_ENV = "STORAGE_EMULATOR_HOST";

  private final Storage storage;
  private final boolean ownStorage;
  private final @Nullable String emulatorUrl;
  private final String bucket;
  private final DimutexProperties properties;
  private final List<LockListener> listeners;

  private DimutexGcs(
      Storage storage,
      boolean ownStorage,
      @Nullable String emulatorUrl,
      String bucket,
      DimutexProperties properties,
      List<LockListener> listeners) {
    this.storage = storage;
    this.ownStorage = ownStorage;
    this.emulatorUrl = emulatorUrl;
    this.bucket = bucket;
    this.properties = properties;
    this.listeners = List.copyOf(listeners);
  }

  /**
   * Validates the properties and picks the Storage client.
   *
   * @param contextStorage the application's Storage bean, if unique
   * @param environmentEmulatorHost the value of STORAGE_EMULATOR_HOST, if set
   */
  static DimutexGcs create(
      DimutexProperties properties,
      @Nullable Storage contextStorage,
      @Nullable String environmentEmulatorHost,
      List<LockListener> listeners) {
    String bucket = properties.getGcs().getBucket();
    if (bucket == null || bucket.isBlank()) {
      throw new DimutexStartupException(
          "No bucket is configured for dimutex: the property 'dimutex.gcs.bucket' is not set.",
          "Set dimutex.gcs.bucket to the name of the Google Cloud Storage bucket that holds the"
              + " lock objects (in application.yml: dimutex: gcs: bucket: my-locks), or set"
              + " dimutex.enabled=false to turn dimutex off.");
    }
    validate(properties);
    String configuredHost = properties.getGcs().getEmulatorHost();
    String host =
        configuredHost != null && !configuredHost.isBlank()
            ? configuredHost
            : environmentEmulatorHost;
    if (host != null && !host.isBlank()) {
      String url = emulatorUrl(host);
      if (contextStorage != null && url.equals(hostOf(contextStorage))) {
        return new DimutexGcs(contextStorage, false, url, bucket.trim(), properties, listeners);
      }
      Storage storage =
          emulatorStorage(host, properties.getGcs().getEmulatorProjectId(), "lock registry");
      return new DimutexGcs(storage, true, url, bucket.trim(), properties, listeners);
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
    return new DimutexGcs(contextStorage, false, null, bucket.trim(), properties, listeners);
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

  private static void validate(DimutexProperties properties) {
    Duration ttl = properties.getTtl();
    if (ttl == null || ttl.isZero() || ttl.isNegative()) {
      throw invalid("dimutex.ttl", ttl, "must be positive", "Set dimutex.ttl to, say, 60s.");
    }
    Duration refresh = properties.getRefreshInterval();
    if (refresh != null) {
      if (refresh.isZero() || refresh.isNegative()) {
        throw invalid(
            "dimutex.refresh-interval",
            refresh,
            "must be positive",
            "Set dimutex.refresh-interval below half of dimutex.ttl, or remove it to use a sixth"
                + " of the TTL.");
      }
      if (refresh.multipliedBy(2).compareTo(ttl) >= 0) {
        throw invalid(
            "dimutex.refresh-interval",
            refresh,
            "must be shorter than half of dimutex.ttl (" + ttl + ")",
            "Set dimutex.refresh-interval below "
                + ttl.dividedBy(2)
                + ", or remove it to use a"
                + " sixth of the TTL.");
      }
    }
    DimutexProperties.Backoff backoff = properties.getBackoff();
    Duration min = backoff.getMin();
    Duration max = backoff.getMax();
    if (min == null || min.isZero() || min.isNegative()) {
      throw invalid("dimutex.backoff.min", min, "must be positive", "Set it to, say, 50ms.");
    }
    if (max == null || max.compareTo(min) < 0) {
      throw invalid(
          "dimutex.backoff.max",
          max,
          "must not be shorter than dimutex.backoff.min (" + min + ")",
          "Raise dimutex.backoff.max or lower dimutex.backoff.min.");
    }
    if (!(backoff.getMultiplier() >= 1.0)) {
      throw invalid(
          "dimutex.backoff.multiplier",
          backoff.getMultiplier(),
          "must be at least 1",
          "Set it to, say, 2.");
    }
    if (!(backoff.getJitter() >= 0.0 && backoff.getJitter() < 1.0)) {
      throw invalid(
          "dimutex.backoff.jitter",
          backoff.getJitter(),
          "must be at least 0 and below 1",
          "Set it to, say, 0.5.");
    }
    validateAnnotationDefaults(properties.getAnnotation());
    String ownerId = properties.getOwnerId();
    if (ownerId != null && ownerId.isBlank()) {
      throw invalid(
          "dimutex.owner-id",
          "'" + ownerId + "'",
          "must not be blank",
          "Remove it to use a random id per start.");
    }
  }

  /**
   * Checks {@code dimutex.annotation.*}. The advisor binds these properties itself, before the
   * properties bean exists, so it calls this too.
   *
   * @throws DimutexStartupException naming the property and what is allowed
   */
  static void validateAnnotationDefaults(DimutexProperties.Annotation annotation) {
    Duration waitFor = annotation.getWaitFor();
    if (waitFor == null || waitFor.isNegative()) {
      throw invalid(
          "dimutex.annotation.wait-for",
          waitFor,
          "must be zero or positive",
          "Set it to 0s for a single attempt, or to the longest acceptable wait.");
    }
    if (annotation.getOnHeld() == dev.dimutex.spring.OnHeld.DEFAULT) {
      throw invalid(
          "dimutex.annotation.on-held",
          "DEFAULT",
          "must be FAIL or SKIP",
          "Set it to FAIL (throw LockTimeoutException) or SKIP (do not run the method).");
    }
  }

  private static DimutexStartupException invalid(
      String property, @Nullable Object value, String rule, String action) {
    return new DimutexStartupException(
        "Invalid dimutex configuration: '" + property + "' (" + value + ") " + rule + ".", action);
  }

  String bucket() {
    return bucket;
  }

  Storage storage() {
    return storage;
  }

  @Nullable String emulatorUrl() {
    return emulatorUrl;
  }

  /**
   * Builds a registry; {@code ttlOverride} null means the configured TTL.
   *
   * @throws DimutexStartupException if the core rejects the settings
   */
  GcsLockRegistry build(@Nullable Duration ttlOverride, @Nullable String ownerId) {
    Duration ttl = ttlOverride != null ? ttlOverride : properties.getTtl();
    GcsLockRegistry.Builder builder =
        GcsLockRegistry.builder(storage, bucket).prefix(properties.getGcs().getPrefix()).ttl(ttl);
    Duration refresh = properties.getRefreshInterval();
    // validate() checked the interval against dimutex.ttl only; for a shorter @DistributedLock ttl
    // it may be too long, and the registry then refreshes at its default, a sixth of that TTL.
    if (refresh != null && refresh.multipliedBy(2).compareTo(ttl) < 0) {
      builder.refreshInterval(refresh);
    }
    if (ownerId != null) {
      builder.ownerId(ownerId);
    }
    DimutexProperties.Backoff backoff = properties.getBackoff();
    builder.backoff(
        backoff.getMin(), backoff.getMax(), backoff.getMultiplier(), backoff.getJitter());
    listeners.forEach(builder::listener);
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new DimutexStartupException(
          "Invalid dimutex configuration"
              + (ttlOverride != null ? " for a @DistributedLock ttl of " + ttlOverride : "")
              + ": "
              + e.getMessage(),
          "Correct the dimutex.* property (dimutex.ttl, dimutex.refresh-interval,"
              + " dimutex.backoff.*) or the annotation attribute that the message names.");
    }
  }

  @Override
  public void destroy() throws Exception {
    if (ownStorage) {
      storage.close();
    }
  }
}
