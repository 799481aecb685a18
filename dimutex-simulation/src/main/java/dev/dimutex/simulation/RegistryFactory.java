package dev.dimutex.simulation;

import dev.dimutex.InspectableLockRegistry;
import dev.dimutex.LockListener;
import dev.dimutex.engine.StoreLockRegistry;
import java.time.Duration;

/**
 * The one place that builds a registry: when the engine moves (dev.dimutex.engine), only the import
 * above changes. Every seam (clocks, random source, sleeper, scheduler) is the node's.
 */
final class RegistryFactory {

  private RegistryFactory() {}

  static InspectableLockRegistry create(
      Node node,
      Duration ttl,
      Duration backoffMin,
      Duration backoffCap,
      LockListener recorder,
      LockListener thrower) {
    return StoreLockRegistry.builder()
        .ttl(ttl)
        .backoff(backoffMin, backoffCap, 2.0, 0.5)
        .clock(node.clock.wallClock())
        .timeSource(node.clock)
        .random(node.random::nextDouble)
        .sleeper(node::sleep)
        .scheduler(node.scheduler)
        .ownerId(node.ownerId)
        .listener(recorder)
        .listener(thrower)
        .build(node.store);
  }
}
