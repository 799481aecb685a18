package dev.dimutex.spi;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A lock object as read from (or written to) the store.
 *
 * @param name the lock name, without any prefix
 * @param version the object's generation and metageneration
 * @param record the lock metadata, or null if the object was not written by dimutex (or its
 *     metadata cannot be parsed); such an object is treated as held with the reader's own TTL
 * @param created when the object (this generation) was created, by the store's clock, or null if
 *     the store does not say
 * @param updated when its metadata was last changed, by the store's clock, or null if the store
 *     does not say (staleness is then judged on the local monotonic clock alone)
 */
public record StoredLock(
    String name,
    ObjectVersion version,
    @Nullable LockRecord record,
    @Nullable Instant created,
    @Nullable Instant updated) {

  /**
   * Validates the components.
   *
   * @param name see the record description
   * @param version see the record description
   * @param record see the record description
   * @param created see the record description
   * @param updated see the record description
   * @throws NullPointerException if the name or version is null
   */
  public StoredLock {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version of lock '" + name + "'");
  }

  /**
   * Tells whether this object carries the given acquisition nonce.
   *
   * @param nonce the nonce of one acquisition
   * @return whether the object was written by that acquisition
   */
  public boolean hasNonce(String nonce) {
    return record != null && record.nonce().equals(nonce);
  }
}
