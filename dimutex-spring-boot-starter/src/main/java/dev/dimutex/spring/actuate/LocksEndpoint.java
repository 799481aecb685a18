package dev.dimutex.spring.actuate;

import dev.dimutex.InspectableLockRegistry;
import dev.dimutex.LeaseInfo;
import dev.dimutex.LockObjectInfo;
import dev.dimutex.LockRegistry;
import dev.dimutex.gcs.GcsLockRegistry;
import dev.dimutex.spring.LockRegistries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code locks} actuator endpoint ({@code /actuator/locks}): the leases this instance holds and
 * every lock object under the registry's prefix, whoever holds it, with its owner and age.
 * Force-release ({@code POST /actuator/locks/{name}}) is offered by a subclass, registered instead
 * of this class only when {@code dimutex.actuator.force-release-enabled=true}.
 */
@Endpoint(id = "locks")
public class LocksEndpoint {

  private final LockRegistries registries;
  private final Clock clock;

  /**
   * Creates the endpoint.
   *
   * @param registries the registries to report
   * @param clock the clock used to compute ages
   */
  public LocksEndpoint(LockRegistries registries, Clock clock) {
    this.registries = registries;
    this.clock = clock;
  }

  /**
   * Lists this instance's leases and the lock objects in the store.
   *
   * @return the report
   * @throws dev.dimutex.LockException if the store cannot be listed
   */
  @ReadOperation
  public LocksReport locks() {
    LockRegistry main = registries.registry();
    List<HeldLock> held = new ArrayList<>();
    for (LockRegistry registry : registries.all()) {
      if (registry instanceof InspectableLockRegistry inspectable) {
        for (LeaseInfo lease : inspectable.heldLeases()) {
          held.add(
              new HeldLock(
                  lease.name(),
                  lease.fencingToken(),
                  lease.acquiredAt().toString(),
                  lease.lastConfirmedRefresh().toString(),
                  lease.healthy()));
        }
      }
    }
    Set<Long> ours = held.stream().map(HeldLock::fencingToken).collect(Collectors.toSet());
    List<LockObject> objects = new ArrayList<>();
    if (main instanceof InspectableLockRegistry inspectable) {
      Instant now = clock.instant();
      for (LockObjectInfo info : inspectable.lockObjects()) {
        objects.add(
            new LockObject(
                info.name(),
                info.ownerId(),
                info.ownerDescription(),
                info.fencingToken(),
                info.acquiredAt().toString(),
                info.updatedAt().toString(),
                Duration.between(info.acquiredAt(), now).toMillis(),
                Duration.between(info.updatedAt(), now).toMillis(),
                info.ttl().toString(),
                ours.contains(info.fencingToken())));
      }
    }
    GcsLockRegistry gcs = main instanceof GcsLockRegistry g ? g : null;
    return new LocksReport(
        gcs == null ? null : gcs.bucket(),
        gcs == null ? null : gcs.prefix(),
        gcs == null ? null : gcs.ownerId(),
        held,
        objects);
  }

  /**
   * The endpoint's answer.
   *
   * @param bucket the bucket, if the registry is a GCS registry
   * @param prefix the object name prefix, if the registry is a GCS registry
   * @param ownerId this instance's owner id, if the registry is a GCS registry
   * @param held the leases this instance holds
   * @param objects every lock object under the prefix
   */
  public record LocksReport(
      @Nullable String bucket,
      @Nullable String prefix,
      @Nullable String ownerId,
      List<HeldLock> held,
      List<LockObject> objects) {}

  /**
   * A lease this instance holds.
   *
   * @param name the lock name
   * @param fencingToken its fencing token
   * @param heldSince when it was acquired
   * @param lastConfirmedRefresh when the store last confirmed it
   * @param healthy whether it is still healthy
   */
  public record HeldLock(
      String name,
      long fencingToken,
      String heldSince,
      String lastConfirmedRefresh,
      boolean healthy) {}

  /**
   * A lock object found in the store.
   *
   * @param name the lock name
   * @param ownerId the holder's owner id
   * @param ownerDescription the holder's host and process, for humans
   * @param fencingToken the holder's fencing token
   * @param acquiredAt when the holder acquired it, by the store's clock
   * @param updatedAt when the holder last refreshed it, by the store's clock
   * @param ageMillis time since acquisition, by this instance's clock
   * @param sinceRefreshMillis time since the last refresh, by this instance's clock
   * @param ttl the holder's TTL
   * @param heldByThisInstance whether the object is one of this instance's leases
   */
  public record LockObject(
      String name,
      String ownerId,
      String ownerDescription,
      long fencingToken,
      String acquiredAt,
      String updatedAt,
      long ageMillis,
      long sinceRefreshMillis,
      String ttl,
      boolean heldByThisInstance) {}
}
