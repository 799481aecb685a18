package dev.dimutex.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the lock algorithm writes into a lock object's metadata.
 *
 * @param ownerId the holder's registry id (random per registry unless configured)
 * @param ownerDescription host and process id of the holder, for humans only
 * @param nonce unique to one acquisition; the only thing that proves an ambiguous write was ours
 * @param ttl the holder's TTL: others may take the lock over once it has not been refreshed for
 *     this long
 * @param acquiredAt when the holder acquired it, by the holder's clock (informational only; never
 *     compared across machines)
 * @param refreshes how many times the holder has refreshed it (makes every refresh a real change)
 */
public record LockRecord(
    String ownerId,
    String ownerDescription,
    String nonce,
    Duration ttl,
    Instant acquiredAt,
    long refreshes) {

  /**
   * Validates the components.
   *
   * @param ownerId see the record description
   * @param ownerDescription see the record description
   * @param nonce see the record description
   * @param ttl see the record description
   * @param acquiredAt see the record description
   * @param refreshes see the record description
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if the TTL is not positive
   */
  public LockRecord {
    Objects.requireNonNull(ownerId, "ownerId");
    Objects.requireNonNull(ownerDescription, "ownerDescription");
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(acquiredAt, "acquiredAt");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
  }

  /**
   * Returns a copy with the refresh counter increased by one.
   *
   * @return the record to write on the next refresh
   */
  public LockRecord nextRefresh() {
    return new LockRecord(ownerId, ownerDescription, nonce, ttl, acquiredAt, refreshes + 1);
  }
}
