package dev.dimutex.engine;

import dev.dimutex.InspectableLockRegistry;
import dev.dimutex.LeaseInfo;
import dev.dimutex.LockConfigurationException;
import dev.dimutex.LockException;
import dev.dimutex.LockObjectInfo;
import dev.dimutex.Mutex;
import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.LockStore;
import dev.dimutex.spi.StoreException;
import dev.dimutex.spi.StoredLock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock algorithm over any {@link LockStore}: leases, automatic refresh on one shared scheduler,
 * stale takeover, local coalescing and backoff. {@code GcsLockRegistry} is this class over the GCS
 * store; use this one directly only with a store of your own.
 *
 * <p>See {@code SEMANTICS.md} of the core module for the guarantees. In short: acquisition is one
 * conditional create; every later mutation is conditioned on the generation and metageneration this
 * process last confirmed; ambiguous outcomes are resolved by reading back the acquisition's nonce;
 * another holder is considered stale only after its object stayed unchanged for its whole TTL as
 * measured on this process's monotonic clock (or proven by the store's own timestamps, carried
 * forward pessimistically), so wall-clock skew between machines never matters; a lease turns
 * unhealthy a safety margin before anyone else could take it over.
 *
 * <p>This class is only the facade; the algorithm lives in package-private collaborators, one per
 * job.
 */
public final class StoreLockRegistry implements InspectableLockRegistry {

  private static final Logger log = LoggerFactory.getLogger(StoreLockRegistry.class);

  private final Engine engine;

  private StoreLockRegistry(RegistrySettings settings, LockStore store) {
    this.engine = new Engine(settings, store);
  }

  /**
   * Starts a builder of registries.
   *
   * @return a builder with the documented defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a registry from settings made by a {@link RegistryBuilder} (the GCS registry's builder
   * uses this).
   *
   * @param settings the validated settings
   * @param store the store of lock objects
   * @return a new registry
   */
  public static StoreLockRegistry create(RegistrySettings settings, LockStore store) {
    return new StoreLockRegistry(
        Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(store, "store"));
  }

  /**
   * Returns this registry's owner id, written into every lock object it creates.
   *
   * @return the owner id
   */
  public String ownerId() {
    return engine.ownerId;
  }

  /**
   * Returns the TTL written into every lock object.
   *
   * @return the TTL
   */
  public Duration ttl() {
    return engine.ttl;
  }

  /**
   * Returns the interval between automatic refreshes.
   *
   * @return the refresh interval
   */
  public Duration refreshInterval() {
    return engine.refreshInterval;
  }

  /**
   * Returns the store this registry uses.
   *
   * @return the store
   */
  public LockStore store() {
    return engine.givenStore;
  }

  @Override
  public Mutex obtain(String name) {
    Objects.requireNonNull(name, "name");
    engine.checkOpen();
    engine.store.validateName(name);
    return new MutexImpl(engine, name);
  }

  @Override
  public List<LeaseInfo> heldLeases() {
    List<LeaseInfo> out = new ArrayList<>();
    for (Slot s : engine.slots.all()) {
      LeaseImpl l = s.held();
      if (l != null && !engine.lostUnreleased.contains(l)) {
        out.add(l.info());
      }
    }
    for (LeaseImpl l : engine.lostUnreleased) {
      out.add(l.info());
    }
    out.sort(Comparator.comparing(LeaseInfo::name));
    return out;
  }

  @Override
  public List<LockObjectInfo> lockObjects() {
    List<StoredLock> objects;
    try {
      objects = engine.store.list();
    } catch (StoreException e) {
      throw engine.messages.translate(e, "*", "list lock objects");
    }
    List<LockObjectInfo> out = new ArrayList<>(objects.size());
    for (StoredLock s : objects) {
      LockRecord r = s.record();
      out.add(
          new LockObjectInfo(
              s.name(),
              r != null ? r.ownerId() : "unknown (not written by dimutex)",
              r != null ? r.ownerDescription() : "unknown",
              s.version().generation(),
              s.created() != null ? s.created() : Instant.EPOCH,
              s.updated() != null ? s.updated() : Instant.EPOCH,
              r != null ? r.ttl() : engine.ttl));
    }
    out.sort(Comparator.comparing(LockObjectInfo::name));
    return out;
  }

  /**
   * Releases every lease still held (failures are logged: such a lock expires after its TTL), fails
   * every caller still waiting, and stops the registry's own scheduler. Idempotent.
   */
  @Override
  public void close() {
    if (!engine.markClosed()) {
      return;
    }
    for (Slot s : engine.slots.all()) {
      LeaseImpl held = s.held();
      engine.waiting.failWaiters(s, engine.messages.closedWhileWaiting(s.name, null));
      if (held != null) {
        try {
          held.release();
        } catch (RuntimeException ex) {
          log.warn(
              "Could not release lock '{}' while closing the registry: {}", s.name, ex.toString());
        }
      }
    }
    for (LeaseImpl lost : List.copyOf(engine.lostUnreleased)) {
      try {
        lost.release();
      } catch (RuntimeException ex) {
        log.debug("Lost lock '{}' reported while closing: {}", lost.name(), ex.toString());
      }
    }
    engine.shutdownOwnThreads();
  }

  /**
   * Checks with one cheap read that the store is reachable and accessible.
   *
   * @throws LockConfigurationException naming the store location if access is refused
   * @throws LockException if the store is unavailable
   */
  public void verifyAccess() {
    try {
      engine.store.verifyAccess();
    } catch (StoreException e) {
      throw engine.messages.translate(e, "*", "verify access");
    }
  }

  /** How many local callers are queued for the lock; for tests and health checks. */
  int queuedWaiters(String name) {
    return engine.slots.queued(name);
  }

  @Override
  public String toString() {
    return "StoreLockRegistry[" + engine.store.describe() + ", owner " + engine.ownerId + "]";
  }

  /**
   * Builds a {@link StoreLockRegistry} over a store of your own. Every setter validates at once;
   * {@link #build(LockStore)} copies the state, so the builder can be reused.
   */
  public static final class Builder extends RegistryBuilder<Builder> {

    private Builder() {}

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * Validates the combination and builds a registry over the given store.
     *
     * @param store the store of lock objects
     * @return a new registry
     * @throws IllegalArgumentException if the refresh interval is not shorter than half the TTL
     */
    public StoreLockRegistry build(LockStore store) {
      Objects.requireNonNull(store, "store");
      return new StoreLockRegistry(settings(), store);
    }
  }
}
