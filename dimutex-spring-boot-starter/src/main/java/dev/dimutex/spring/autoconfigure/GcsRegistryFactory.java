package dev.dimutex.spring.autoconfigure;

import dev.dimutex.LockListener;
import dev.dimutex.gcs.GcsLockRegistry;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;

/**
 * Builds GCS lock registries from the validated {@code dimutex.*} properties: the default registry,
 * and one per {@code @DistributedLock} TTL override.
 */
final class GcsRegistryFactory implements DisposableBean {

  private final GcsStorageFactory storage;
  private final String bucket;
  private final DimutexProperties properties;
  private final List<LockListener> listeners;

  /** Takes properties that {@link DimutexPropertiesValidator} has accepted. */
  GcsRegistryFactory(
      GcsStorageFactory storage,
      String bucket,
      DimutexProperties properties,
      List<LockListener> listeners) {
    this.bucket = bucket;
    this.storage = storage;
    this.properties = properties;
    this.listeners = List.copyOf(listeners);
  }

  String bucket() {
    return bucket;
  }

  GcsStorageFactory storage() {
    return storage;
  }

  /**
   * Builds a registry; {@code ttlOverride} null means the configured TTL.
   *
   * @throws DimutexStartupException if the core rejects the settings
   */
  GcsLockRegistry build(@Nullable Duration ttlOverride, @Nullable String ownerId) {
    Duration ttl = ttlOverride != null ? ttlOverride : properties.getTtl();
    GcsLockRegistry.Builder builder =
        GcsLockRegistry.builder(storage.storage(), bucket)
            .prefix(properties.getGcs().getPrefix())
            .ttl(ttl);
    Duration refresh = properties.getRefreshInterval();
    // The validator checked the interval against dimutex.ttl only; for a shorter @DistributedLock
    // ttl it may be too long, and the registry then refreshes at its default, a sixth of that TTL.
    if (refresh != null && refresh.multipliedBy(2).compareTo(ttl) < 0) {
      builder.refreshInterval(refresh);
    }
    if (ownerId != null) {
      builder.ownerId(ownerId);
    }
    BackoffProperties backoff = properties.getBackoff();
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

  /** Closes the Storage client if this factory built it (emulator mode). */
  @Override
  public void destroy() throws Exception {
    storage.destroy();
  }
}
