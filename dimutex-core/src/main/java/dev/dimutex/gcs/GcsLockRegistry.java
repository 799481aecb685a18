package dev.dimutex.gcs;

import com.google.cloud.storage.Storage;
import dev.dimutex.InspectableLockRegistry;
import dev.dimutex.InvalidLockNameException;
import dev.dimutex.LeaseInfo;
import dev.dimutex.LockConfigurationException;
import dev.dimutex.LockException;
import dev.dimutex.LockObjectInfo;
import dev.dimutex.Mutex;
import dev.dimutex.engine.RegistryBuilder;
import dev.dimutex.engine.RegistrySettings;
import dev.dimutex.engine.StoreLockRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A {@link dev.dimutex.LockRegistry} whose locks are objects in a Google Cloud Storage bucket.
 *
 * <pre>{@code
 * GcsLockRegistry registry = GcsLockRegistry.builder(storage, "my-bucket")
 *     .prefix("locks/")               // default
 *     .ttl(Duration.ofSeconds(60))    // default
 *     .build();
 * try (Lease lease = registry.obtain("nightly-report").acquire(Duration.ofSeconds(30))) {
 *   // ... lease.checkHealthy() between steps; pass lease.fencingToken() to guarded resources
 * }
 * }</pre>
 *
 * <p>One object {@code <prefix><name>} per lock. Acquisition is one create with {@code
 * ifGenerationMatch=0}; refresh, release and takeover carry {@code ifGenerationMatch} and {@code
 * ifMetagenerationMatch}; ambiguous outcomes are resolved by reading back a per-acquisition nonce;
 * staleness of another holder is judged on this process's monotonic clock and the store's own
 * timestamps, never by comparing wall clocks. See the module's {@code SEMANTICS.md}.
 *
 * <p>Thread-safe. Close it to release what it still holds and to stop its scheduler.
 */
public final class GcsLockRegistry implements InspectableLockRegistry {

  private final StoreLockRegistry delegate;
  private final GcsLockStore store;
  private final String prefix;

  private GcsLockRegistry(StoreLockRegistry delegate, GcsLockStore store, String prefix) {
    this.delegate = delegate;
    this.store = store;
    this.prefix = prefix;
  }

  /**
   * Starts a builder.
   *
   * @param storage the GCS client; HTTP or gRPC transport. Its own retries are switched off for
   *     lock calls (the registry retries itself); the instance itself is not changed or closed.
   * @param bucket the bucket holding the lock objects; it must exist
   * @return a builder with the documented defaults
   * @throws IllegalArgumentException if the bucket name is blank
   */
  public static Builder builder(Storage storage, String bucket) {
    return new Builder(storage, bucket);
  }

  /**
   * Returns the bucket.
   *
   * @return the bucket name
   */
  public String bucket() {
    return store.bucket();
  }

  /**
   * Returns the prefix prepended to every lock name.
   *
   * @return the prefix, possibly empty
   */
  public String prefix() {
    return prefix;
  }

  /**
   * Returns the owner id written into every lock object this registry creates.
   *
   * @return the owner id
   */
  public String ownerId() {
    return delegate.ownerId();
  }

  /**
   * Returns the lease TTL.
   *
   * @return the TTL
   */
  public Duration ttl() {
    return delegate.ttl();
  }

  /**
   * Returns the interval between automatic refreshes.
   *
   * @return the refresh interval
   */
  public Duration refreshInterval() {
    return delegate.refreshInterval();
  }

  /**
   * Checks access with one bucket read.
   *
   * @throws LockConfigurationException naming the bucket on 401, 403 or 404
   * @throws LockException if GCS is unavailable
   */
  public void verifyAccess() {
    delegate.verifyAccess();
  }

  /**
   * {@inheritDoc}
   *
   * @throws InvalidLockNameException if {@code prefix + name} breaks a GCS object-name rule: empty
   *     name, more than 1024 bytes of UTF-8, carriage return, line feed or other control
   *     characters, unpaired surrogates, exactly {@code .} or {@code ..}, or a name starting with
   *     {@code .well-known/acme-challenge/}
   */
  @Override
  public Mutex obtain(String name) {
    return delegate.obtain(name);
  }

  @Override
  public List<LeaseInfo> heldLeases() {
    return delegate.heldLeases();
  }

  @Override
  public List<LockObjectInfo> lockObjects() {
    return delegate.lockObjects();
  }

  /**
   * Releases every lease still held (failures are logged; such locks expire after their TTL), stops
   * the registry's own scheduler and closes the client copy the registry made. The {@code Storage}
   * passed to the builder is not closed. Idempotent.
   */
  @Override
  public void close() {
    delegate.close();
    store.close();
  }

  @Override
  public String toString() {
    return "GcsLockRegistry[" + store.describe() + ", owner " + ownerId() + "]";
  }

  /**
   * Builds a {@link GcsLockRegistry}. Setters validate at once with messages naming the parameter
   * and its allowed range; {@link #build()} validates the combination and copies the state.
   */
  public static final class Builder extends RegistryBuilder<Builder> {

    private final Storage storage;
    private final String bucket;
    private String prefix = "locks/";

    private Builder(Storage storage, String bucket) {
      this.storage = Objects.requireNonNull(storage, "storage");
      Objects.requireNonNull(bucket, "bucket");
      if (bucket.isBlank()) {
        throw new IllegalArgumentException("bucket must not be blank");
      }
      this.bucket = bucket;
    }

    /**
     * Sets the prefix prepended to every lock name. Default {@code "locks/"}.
     *
     * @param prefix a prefix of fewer than 1024 UTF-8 bytes without control characters; may be
     *     empty
     * @return this builder
     * @throws IllegalArgumentException naming the rule that failed
     */
    public Builder prefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      ObjectNames.validatePrefix(prefix);
      this.prefix = prefix;
      return this;
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * Validates and builds the registry. Makes no remote call; use {@link
     * GcsLockRegistry#verifyAccess()} to check the bucket at startup.
     *
     * @return a new registry
     * @throws IllegalArgumentException if the refresh interval is not shorter than half the TTL
     */
    public GcsLockRegistry build() {
      RegistrySettings settings = settings();
      GcsLockStore store = new GcsLockStore(storage, bucket, prefix);
      StoreLockRegistry registry = StoreLockRegistry.create(settings, store);
      return new GcsLockRegistry(registry, store, prefix);
    }
  }
}
