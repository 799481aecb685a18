package dev.dimutex;

import java.time.Instant;
import java.util.Objects;

/**
 * A snapshot of one lease held by this process, for health checks and operators.
 *
 * @param name the lock name
 * @param fencingToken the lease's fencing token
 * @param acquiredAt when it was acquired, by the registry's clock
 * @param lastConfirmedRefresh when the store last confirmed it (acquisition or refresh), by the
 *     registry's clock
 * @param healthy whether the lease is still healthy
 */
public record LeaseInfo(
    String name,
    long fencingToken,
    Instant acquiredAt,
    Instant lastConfirmedRefresh,
    boolean healthy) {

  /**
   * Validates the components.
   *
   * @param name see the record description
   * @param fencingToken see the record description
   * @param acquiredAt see the record description
   * @param lastConfirmedRefresh see the record description
   * @param healthy see the record description
   * @throws NullPointerException if a component is null
   */
  public LeaseInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(acquiredAt, "acquiredAt for lock '" + name + "'");
    Objects.requireNonNull(lastConfirmedRefresh, "lastConfirmedRefresh for lock '" + name + "'");
  }
}
