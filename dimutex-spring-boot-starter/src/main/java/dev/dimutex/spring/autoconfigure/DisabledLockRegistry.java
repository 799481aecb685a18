package dev.dimutex.spring.autoconfigure;

import dev.dimutex.Lease;
import dev.dimutex.LockConfigurationException;
import dev.dimutex.LockRegistry;
import dev.dimutex.Mutex;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;

/**
 * The {@link LockRegistry} bean while {@code dimutex.enabled=false}: beans that inject a registry
 * still start, and every attempt to use a lock fails with a {@link LockConfigurationException} that
 * says why, instead of running unprotected.
 */
final class DisabledLockRegistry implements LockRegistry {

  @Override
  public Mutex obtain(String name) {
    return new DisabledMutex(name);
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "DisabledLockRegistry[dimutex.enabled=false]";
  }

  private record DisabledMutex(String name) implements Mutex {

    private LockConfigurationException disabled() {
      return new LockConfigurationException(
          "Lock '"
              + name
              + "' cannot be used: dimutex is disabled (dimutex.enabled=false). Remove that"
              + " property to lock on Google Cloud Storage; in tests, use"
              + " @AutoConfigureInMemoryLocks or @AutoConfigureGcsEmulator"
              + " (dimutex-spring-boot-test).");
    }

    @Override
    public Optional<Lease> tryAcquire() {
      throw disabled();
    }

    @Override
    public Optional<Lease> tryAcquire(Duration waitAtMost) {
      throw disabled();
    }

    @Override
    public Lease acquire(Duration waitAtMost) {
      throw disabled();
    }

    @Override
    public CompletableFuture<Lease> acquireAsync(Duration waitAtMost) {
      return CompletableFuture.failedFuture(disabled());
    }

    @Override
    public boolean isLocked() {
      throw disabled();
    }

    @Override
    public void forceRelease() {
      throw disabled();
    }

    @Override
    public Lock asLock() {
      throw disabled();
    }
  }
}
