package dev.dimutex.engine;

import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.LockStore;
import dev.dimutex.spi.ObjectVersion;
import dev.dimutex.spi.StoreException;
import dev.dimutex.spi.StoredLock;
import dev.dimutex.testing.InMemoryLockStore;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory store, except that one armed replacing create (a stale takeover or a local
 * hand-over) answers a transient failure without applying, and is applied late: just before the
 * next delete reaches the store, as a request that was still in flight would land.
 */
final class LateApplyingStore implements LockStore {

  private record Held(String name, LockRecord record, ObjectVersion replacing) {}

  private final InMemoryLockStore store;
  private boolean armed;
  private @Nullable Held held;

  LateApplyingStore(InMemoryLockStore store) {
    this.store = store;
  }

  /** The next replacing create times out unapplied and lands just before the next delete. */
  synchronized void delayNextReplaceUntilTheNextDelete() {
    armed = true;
  }

  private synchronized void landHeldWrite() {
    Held h = held;
    held = null;
    if (h != null) {
      store.create(h.name(), h.record(), h.replacing());
    }
  }

  @Override
  public String describe() {
    return store.describe();
  }

  @Override
  public void validateName(String name) {
    store.validateName(name);
  }

  @Override
  public Optional<StoredLock> create(
      String name, LockRecord record, @Nullable ObjectVersion replacing) {
    synchronized (this) {
      if (armed && replacing != null) {
        armed = false;
        held = new Held(name, record, replacing);
        throw new StoreException(StoreException.Kind.TRANSIENT, 0, "read timed out", null);
      }
    }
    return store.create(name, record, replacing);
  }

  @Override
  public Optional<StoredLock> read(String name) {
    return store.read(name);
  }

  @Override
  public Optional<StoredLock> update(String name, ObjectVersion expected, LockRecord record) {
    return store.update(name, expected, record);
  }

  @Override
  public DeleteOutcome delete(String name, ObjectVersion expected) {
    landHeldWrite();
    return store.delete(name, expected);
  }

  @Override
  public DeleteOutcome deleteGeneration(String name, long generation) {
    landHeldWrite();
    return store.deleteGeneration(name, generation);
  }

  @Override
  public List<StoredLock> list() {
    return store.list();
  }

  @Override
  public void verifyAccess() {}
}
