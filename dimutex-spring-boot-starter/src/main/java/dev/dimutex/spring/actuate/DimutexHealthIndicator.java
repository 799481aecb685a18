package dev.dimutex.spring.actuate;

import dev.dimutex.InspectableLockRegistry;
import dev.dimutex.LeaseInfo;
import dev.dimutex.LockRegistry;
import dev.dimutex.spring.LockRegistries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of dimutex, from what this instance already knows (it makes no remote call):
 *
 * <ul>
 *   <li>{@code DOWN} once a lease this instance holds may have been lost, and while a recent loss
 *       is reported by {@link LostLeases} (the registry no longer lists a lost lease as held);
 *   <li>{@code OUT_OF_SERVICE} while every recent call to the lock store failed ({@link
 *       StoreReachability}): locks can be neither taken nor kept, and restarting the instance would
 *       not help;
 *   <li>{@code UP} otherwise.
 * </ul>
 *
 * <p>Details: {@code heldLocks} and {@code locks} (name, fencing token, {@code heldSince}, {@code
 * lastConfirmedRefresh}, {@code healthy}), {@code lostLocks} when there are any (name, fencing
 * token, {@code heldSince}, {@code lostAt}, {@code cause}), and {@code store} ({@code reachable},
 * {@code recentCalls}, {@code recentFailures}, {@code lastSuccess}, {@code lastFailure}, {@code
 * lastError}).
 */
public final class DimutexHealthIndicator implements HealthIndicator {

  private final LockRegistries registries;
  private final StoreReachability reachability;
  private final LostLeases lostLeases;

  /**
   * Creates the indicator.
   *
   * @param registries the registries whose leases are reported
   * @param reachability the outcomes of the registries' recent store calls
   * @param lostLeases the leases lost recently (a listener of the same registries)
   */
  public DimutexHealthIndicator(
      LockRegistries registries, StoreReachability reachability, LostLeases lostLeases) {
    this.registries = registries;
    this.reachability = reachability;
    this.lostLeases = lostLeases;
  }

  @Override
  public Health health() {
    List<Map<String, Object>> locks = new ArrayList<>();
    boolean healthy = true;
    Instant latestRefresh = null;
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
          if (latestRefresh == null || lease.lastConfirmedRefresh().isAfter(latestRefresh)) {
            latestRefresh = lease.lastConfirmedRefresh();
          }
        }
      }
    }
    List<LostLeases.Lost> lost = lostLeases.recent();
    healthy &= lost.isEmpty();
    StoreReachability.Snapshot store = reachability.snapshot(latestRefresh);
    Status status = !healthy ? Status.DOWN : store.reachable() ? Status.UP : Status.OUT_OF_SERVICE;
    Health.Builder builder =
        Health.status(status).withDetail("heldLocks", locks.size()).withDetail("locks", locks);
    if (!lost.isEmpty()) {
      builder.withDetail(
          "lostLocks", lost.stream().map(DimutexHealthIndicator::lostDetails).toList());
    }
    return builder.withDetail("store", storeDetails(store)).build();
  }

  private static Map<String, Object> lostDetails(LostLeases.Lost lost) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("name", lost.name());
    detail.put("fencingToken", lost.fencingToken());
    detail.put("heldSince", lost.heldSince().toString());
    detail.put("lostAt", lost.lostAt().toString());
    detail.put("cause", lost.cause());
    return detail;
  }

  private static Map<String, Object> storeDetails(StoreReachability.Snapshot store) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("reachable", store.reachable());
    details.put("recentCalls", store.recentCalls());
    details.put("recentFailures", store.recentFailures());
    putIfKnown(details, "lastSuccess", store.lastSuccess());
    putIfKnown(details, "lastFailure", store.lastFailure());
    putIfKnown(details, "lastError", store.lastError());
    if (!store.reachable()) {
      details.put(
          "reason",
          "every recent call to the lock store failed ("
              + store.recentFailures()
              + " of "
              + store.recentCalls()
              + ")");
    }
    return details;
  }

  private static void putIfKnown(Map<String, Object> details, String key, @Nullable Object value) {
    if (value != null) {
      details.put(key, value.toString());
    }
  }
}
