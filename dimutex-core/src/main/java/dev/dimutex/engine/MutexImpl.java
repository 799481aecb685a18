package dev.dimutex.engine;

import dev.dimutex.Lease;
import dev.dimutex.Mutex;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;

/** A light handle on one lock name; all state lives in the registry's entry for that name. */
final class MutexImpl implements Mutex {

  private final StoreLockRegistry registry;
  private final String name;
  private volatile LockView view;

  MutexImpl(StoreLockRegistry registry, String name) {
    this.registry = registry;
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<Lease> tryAcquire() {
    return registry.acquire(name, Duration.ZERO);
  }

  @Override
  public Optional<Lease> tryAcquire(Duration waitAtMost) {
    return registry.acquire(name, waitAtMost);
  }

  @Override
  public Lease acquire(Duration waitAtMost) {
    return registry.acquireOrThrow(name, waitAtMost);
  }

  @Override
  public CompletableFuture<Lease> acquireAsync(Duration waitAtMost) {
    return registry.acquireAsync(name, waitAtMost);
  }

  @Override
  public boolean isLocked() {
    return registry.isLocked(name);
  }

  @Override
  public void forceRelease() {
    registry.forceRelease(name);
  }

  @Override
  public Lock asLock() {
    LockView v = view;
    if (v == null) {
      synchronized (this) {
        v = view;
        if (v == null) {
          v = new LockView(registry, this);
          view = v;
        }
      }
    }
    return v;
  }

  @Override
  public String toString() {
    return "Mutex[" + name + " in " + registry.store().describe() + "]";
  }
}
