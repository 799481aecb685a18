package dev.dimutex.spring.autoconfigure;

import dev.dimutex.spring.LockRegistries;
import java.time.Clock;
import java.util.Map;
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
final class ForceReleaseLocksEndpoint extends LocksEndpoint {

  private final LockRegistries registries;

  ForceReleaseLocksEndpoint(LockRegistries registries, Clock clock) {
    super(registries, clock);
    this.registries = registries;
  }

  /**
   * Removes a lock object whoever holds it, conditioned on the generation just read.
   *
   * @param name the lock name; may contain {@code /}
   * @return the released name
   * @throws dev.dimutex.InvalidLockNameException if the name is not a valid lock name
   * @throws dev.dimutex.LockException if the store cannot be written
   */
  @WriteOperation
  public Map<String, Object> forceRelease(
      @Selector(match = Selector.Match.ALL_REMAINING) String[] name) {
    String lockName = String.join("/", name);
    registries.registry().obtain(lockName).forceRelease();
    return Map.of("name", lockName, "forceReleased", true);
  }
}
