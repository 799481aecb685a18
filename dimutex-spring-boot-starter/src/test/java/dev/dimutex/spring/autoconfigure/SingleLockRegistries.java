package dev.dimutex.spring.autoconfigure;

import dev.dimutex.LockRegistry;
import dev.dimutex.spring.LockRegistries;
import java.time.Duration;
import java.util.List;

/** Test {@link LockRegistries} backed by one registry, whatever TTL is asked for. */
public record SingleLockRegistries(LockRegistry registry) implements LockRegistries {

  @Override
  public LockRegistry registry(Duration ttl) {
    return registry;
  }

  @Override
  public List<LockRegistry> all() {
    return List.of(registry);
  }
}
