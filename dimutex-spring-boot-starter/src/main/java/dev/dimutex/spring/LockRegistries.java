package dev.dimutex.spring;

import dev.dimutex.LockRegistry;
import java.time.Duration;
import java.util.List;

/**
 * The registries behind {@link DistributedLock}: the application's default {@link LockRegistry}
 * and, for annotations that override the TTL, one registry per distinct TTL. The auto-configuration
 * provides one; define a bean of this type to replace it.
 */
public interface LockRegistries {

  /**
   * Returns the default registry, with the configured TTL.
   *
   * @return the default registry
   */
  LockRegistry registry();

  /**
   * Returns a registry whose leases have the given TTL, sharing the default registry's store,
   * prefix and settings.
   *
   * @param ttl the lease TTL
   * @return a registry for that TTL; the default registry if the TTL equals its own
   * @throws IllegalArgumentException if the TTL is not positive
   * @throws dev.dimutex.LockConfigurationException if this application cannot build registries with
   *     other TTLs
   */
  LockRegistry registry(Duration ttl);

  /**
   * Returns every registry created so far, the default first, for health checks and inspection.
   *
   * @return the registries
   */
  List<LockRegistry> all();
}
