package dev.dimutex.spring.test;

import dev.dimutex.InspectableLockRegistry;
import dev.dimutex.engine.StoreLockRegistry;
import dev.dimutex.testing.InMemoryLockStore;
import java.time.Clock;
import java.time.Duration;

/**
 * Lock registries whose locks live in this JVM only, on {@link InMemoryLockStore}: the same lock
 * algorithm as on Google Cloud Storage (leases, refresh, stale takeover, fencing tokens), without
 * any network. For plain unit tests of code that takes a {@link dev.dimutex.LockRegistry}:
 *
 * <pre>{@code
 * try (LockRegistry locks = InMemoryLockRegistries.create()) {
 *   ReportJob job = new ReportJob(locks);
 *   ...
 * }
 * }</pre>
 *
 * <p>Two registries created here never see each other's locks; use one registry per test and {@link
 * #create(InMemoryLockStore, Duration)} with a shared store to play several instances.
 */
public final class InMemoryLockRegistries {

  private InMemoryLockRegistries() {}

  /**
   * Creates a registry on a new in-memory store, with the default TTL (60 s).
   *
   * @return the registry; close it after the test
   */
  public static InspectableLockRegistry create() {
    return create(new InMemoryLockStore(Clock.systemUTC()), Duration.ofSeconds(60));
  }

  /**
   * Creates a registry on the given store, so that several registries (instances) share locks.
   *
   * @param store the store, shared by the registries that should see each other's locks
   * @param ttl the lease TTL, between 1 s and 1 day
   * @return the registry; close it after the test
   * @throws IllegalArgumentException if the TTL is out of range
   */
  public static InspectableLockRegistry create(InMemoryLockStore store, Duration ttl) {
    return StoreLockRegistry.builder().ttl(ttl).build(store);
  }
}
