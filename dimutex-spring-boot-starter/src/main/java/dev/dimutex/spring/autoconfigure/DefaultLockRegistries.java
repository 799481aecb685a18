package dev.dimutex.spring.autoconfigure;

import dev.dimutex.LockConfigurationException;
import dev.dimutex.LockRegistry;
import dev.dimutex.gcs.GcsLockRegistry;
import dev.dimutex.spring.LockRegistries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;

/**
 * The default {@link LockRegistries}: the application's {@link LockRegistry} bean, plus one GCS
 * registry per TTL override, built from the same properties and closed with the context.
 */
final class DefaultLockRegistries implements LockRegistries, DisposableBean {

  private final LockRegistry registry;
  private final @Nullable GcsRegistryFactory gcs;
  private final Map<Duration, GcsLockRegistry> byTtl = new ConcurrentHashMap<>();

  DefaultLockRegistries(LockRegistry registry, @Nullable GcsRegistryFactory gcs) {
    this.registry = registry;
    this.gcs = gcs;
  }

  @Override
  public LockRegistry registry() {
    return registry;
  }

  @Override
  public LockRegistry registry(Duration ttl) {
    if (ttl.isZero() || ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    if (registry instanceof GcsLockRegistry gcsRegistry && gcsRegistry.ttl().equals(ttl)) {
      return registry;
    }
    GcsRegistryFactory settings = gcs;
    if (settings == null) {
      throw new LockConfigurationException(
          "A @DistributedLock ttl override ("
              + ttl
              + ") needs the auto-configured GCS settings (dimutex.gcs.bucket), but the"
              + " application defines its own LockRegistry bean; remove the ttl attribute or"
              + " define a LockRegistries bean");
    }
    return byTtl.computeIfAbsent(
        ttl,
        key -> {
          String baseOwner =
              registry instanceof GcsLockRegistry gcsRegistry ? gcsRegistry.ownerId() : null;
          return settings.build(key, baseOwner == null ? null : baseOwner + "/ttl-" + key);
        });
  }

  @Override
  public List<LockRegistry> all() {
    List<LockRegistry> all = new ArrayList<>();
    all.add(registry);
    all.addAll(byTtl.values());
    return all;
  }

  @Override
  public void destroy() {
    byTtl.values().forEach(GcsLockRegistry::close);
    byTtl.clear();
  }
}
