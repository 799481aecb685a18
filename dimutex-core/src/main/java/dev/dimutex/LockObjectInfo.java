package dev.dimutex;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A snapshot of one lock object found in the store, whoever holds it.
 *
 * @param name the lock name, without the registry's prefix
 * @param ownerId the holder's owner id (random per registry)
 * @param ownerDescription host and process id of the holder, for humans; not used for identity
 * @param fencingToken the holder's fencing token
 * @param acquiredAt when the holder acquired it, by the store's clock
 * @param updatedAt when the holder last refreshed it, by the store's clock
 * @param ttl the holder's TTL
 */
public record LockObjectInfo(
    String name,
    String ownerId,
    String ownerDescription,
    long fencingToken,
    Instant acquiredAt,
    Instant updatedAt,
    Duration ttl) {

  /**
   * Validates the components.
   *
   * @param name see the record description
   * @param ownerId see the record description
   * @param ownerDescription see the record description
   * @param fencingToken see the record description
   * @param acquiredAt see the record description
   * @param updatedAt see the record description
   * @param ttl see the record description
   * @throws NullPointerException if a component is null
   */
  public LockObjectInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ownerId, "ownerId for lock '" + name + "'");
    Objects.requireNonNull(ownerDescription, "ownerDescription for lock '" + name + "'");
    Objects.requireNonNull(acquiredAt, "acquiredAt for lock '" + name + "'");
    Objects.requireNonNull(updatedAt, "updatedAt for lock '" + name + "'");
    Objects.requireNonNull(ttl, "ttl for lock '" + name + "'");
  }
}
