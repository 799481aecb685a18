package dev.dimutex.spring.actuate;

import dev.dimutex.InspectableLockRegistry;
import dev.dimutex.LockObjectInfo;
import dev.dimutex.LockRegistry;
import dev.dimutex.Mutex;
import dev.dimutex.spring.LockRegistries;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code locks} endpoint with a write operation that force-releases a lock by name ({@code POST
 * /actuator/locks/{name}}), whoever holds it. Registered only when {@code
 * dimutex.actuator.force-release-enabled=true}: it is an operator action, and the holder's
 * protected work may still be running (its lease turns unhealthy at its next refresh).
 */
@Endpoint(id = "locks")
public final class ForceReleaseLocksEndpoint extends LocksEndpoint {

  private final LockRegistries registries;

  /**
   * Creates the endpoint.
   *
   * @param registries the registries; force-release goes through the default one
   * @param clock the clock used to compute ages
   */
  public ForceReleaseLocksEndpoint(LockRegistries registries, Clock clock) {
    super(registries, clock);
    this.registries = registries;
  }

  /**
   * Removes a lock object whoever holds it, conditioned on the generation just read. Answers {@code
   * forceReleased: false} when there was no lock object of that name, or when it changed between
   * the read and the delete (someone released or re-acquired it), so that nothing was removed.
   *
   * <p>With an {@link InspectableLockRegistry} (the GCS registry), the object is looked up in the
   * listing of the prefix before and after, and {@code fencingToken} names the holder that was
   * removed. Otherwise {@link Mutex#isLocked()} decides: a lock that is not held (absent or stale)
   * is left alone.
   *
   * @param name the lock name; may contain {@code /}
   * @return {@code name}, {@code forceReleased} and, when known, the removed {@code fencingToken}
   * @throws dev.dimutex.InvalidLockNameException if the name is not a valid lock name
   * @throws dev.dimutex.LockException if the store cannot be read or written
   */
  @WriteOperation
  public Map<String, Object> forceRelease(
      @Selector(match = Selector.Match.ALL_REMAINING) String[] name) {
    String lockName = String.join("/", name);
    LockRegistry registry = registries.registry();
    Mutex mutex = registry.obtain(lockName);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("name", lockName);
    if (registry instanceof InspectableLockRegistry inspectable) {
      Optional<LockObjectInfo> before = find(inspectable, lockName);
      if (before.isEmpty()) {
        answer.put("forceReleased", false);
        return answer;
      }
      long token = before.get().fencingToken();
      mutex.forceRelease();
      boolean removed =
          find(inspectable, lockName).map(now -> now.fencingToken() != token).orElse(true);
      answer.put("forceReleased", removed);
      answer.put("fencingToken", token);
      return answer;
    }
    if (!mutex.isLocked()) {
      answer.put("forceReleased", false);
      return answer;
    }
    mutex.forceRelease();
    answer.put("forceReleased", !mutex.isLocked());
    return answer;
  }

  private static Optional<LockObjectInfo> find(InspectableLockRegistry registry, String name) {
    return registry.lockObjects().stream().filter(info -> info.name().equals(name)).findFirst();
  }
}
