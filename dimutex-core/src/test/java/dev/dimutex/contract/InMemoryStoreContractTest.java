package dev.dimutex.contract;

import dev.dimutex.LockRegistry;
import dev.dimutex.engine.StoreLockRegistry;
import dev.dimutex.testing.InMemoryLockStore;
import dev.dimutex.testing.LockRegistryContract;
import java.time.Clock;
import java.time.Duration;

/** The lock contract on the in-memory store (the reference for the algorithm alone). */
class InMemoryStoreContractTest extends LockRegistryContract {

  private final InMemoryLockStore store = new InMemoryLockStore(Clock.systemUTC());

  @Override
  protected LockRegistry createRegistry() {
    return StoreLockRegistry.builder()
        .ttl(Duration.ofSeconds(3))
        .refreshInterval(Duration.ofMillis(300))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(100), 2.0, 0.5)
        .build(store);
  }
}
