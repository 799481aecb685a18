package dev.dimutex.spring.actuate;

import dev.dimutex.InspectableLockRegistry;
import dev.dimutex.LeaseInfo;
import dev.dimutex.LockRegistry;
import dev.dimutex.spring.LockRegistries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the leases this instance holds: {@code UP} while every held lease is healthy, {@code
 * DOWN} once one may have been lost. Details list each held lock with its name, fencing token,
 * {@code heldSince}, {@code lastConfirmedRefresh} and {@code healthy}. Makes no remote call.
 */
public final class DimutexHealthIndicator implements HealthIndicator {

  private final LockRegistries registries;

  /**
   * Creates the indicator.
   *
   * @param registries the registries whose leases are reported
   */
  public DimutexHealthIndicator(LockRegistries registries) {
    this.registries = registries;
  }

  @Override
  public Health health() {
    List<Map<String, Object>> locks = new ArrayList<>();
    boolean healthy = true;
    for (LockRegistry registry : registries.all()) {
      if (registry instanceof InspectableLockRegistry inspectable) {
        for (LeaseInfo lease : inspectable.heldLeases()) {
          Map<String, Object> detail = new LinkedHashMap<>();
          detail.put("name", lease.name());
          detail.put("fencingToken", lease.fencingToken());
          detail.put("heldSince", lease.acquiredAt().toString());
          detail.put("lastConfirmedRefresh", lease.lastConfirmedRefresh().toString());
          detail.put("healthy", lease.healthy());
          locks.add(detail);
          healthy &= lease.healthy();
        }
      }
    }
    Health.Builder builder = healthy ? Health.up() : Health.down();
    return builder.withDetail("heldLocks", locks.size()).withDetail("locks", locks).build();
  }
}
