package dev.dimutex.engine;

import dev.dimutex.Lease;
import dev.dimutex.Mutex;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;

/** A light handle on one lock name; all state lives in the registry's slot for that name. */
final class MutexImpl implements Mutex {

  private final Engine engine;
  private final String name;
  private volatile LockView view;

  MutexImpl(Engine engine, String name) {
    this.engine = engine;
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<Lease> tryAcquire() {
    return engine.waiting.acquire(name, Duration.ZERO);
  }

  @Override
  public Optional<Lease> tryAcquire(Duration waitAtMost) {
    return engine.waiting.acquire(name, waitAtMost);
  }

  @Override
  public Lease acquire(Duration waitAtMost) {
    return engine.waiting.acquireOrThrow(name, waitAtMost);
  }

  @Override
  public CompletableFuture<Lease> acquireAsync(Duration waitAtMost) {
    return engine.waiting.acquireAsync(name, waitAtMost);
  }

  @Override
  public boolean isLocked() {
    return engine.staleness.isLocked(name);
  }

  @Override
  public void forceRelease() {
    engine.deletes.forceRelease(name);
  }

  @Override
  public Lock asLock() {
    LockView v = view;
    if (v == null) {
      synchronized (this) {
        v = view;
        if (v == null) {
          v = new LockView(engine, this);
          view = v;
        }
      }
    }
    return v;
  }

  @Override
  public String toString() {
    return "Mutex[" + name + " in " + engine.store.describe() + "]";
  }
}
