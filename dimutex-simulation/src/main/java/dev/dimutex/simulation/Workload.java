package dev.dimutex.simulation;

import dev.dimutex.spi.LockRecord;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Chooses the next operation, its node, lock name and parameters from the seed, until the workload
 * ends: acquisitions (one attempt, asynchronous with a deadline and a caller that waits, releases
 * inside {@code thenAccept}, cancels, {@code orTimeout}s or completes it exceptionally), manual
 * refreshes, forced releases, {@code isLocked}, listing, the reentrant {@code asLock()} view, and
 * process faults: freeze longer than the TTL, crash, close with work in flight, a hostile object.
 */
final class Workload {

  private static final long MEAN_GAP_NANOS = 250_000_000L;
  private static final int MAX_NODES = 12;

  private final World world;
  private final Actions actions;
  private final Checker checker;
  private final List<String> names;
  private final Supplier<Node> spawn;
  private final long ttlNanos;
  private long end;
  boolean hostileSeen;

  Workload(
      World world,
      Actions actions,
      Checker checker,
      List<String> names,
      Supplier<Node> spawn,
      Duration ttl) {
    this.world = world;
    this.actions = actions;
    this.checker = checker;
    this.names = names;
    this.spawn = spawn;
    this.ttlNanos = ttl.toNanos();
  }

  void start(long endTrue) {
    this.end = endTrue;
    world.at(0, null, "op", this::op);
  }

  private void op() {
    if (world.now() >= end) {
      return;
    }
    one();
    long gap = (long) (-Math.log(1 - world.rnd.nextDouble()) * MEAN_GAP_NANOS);
    world.at(world.now() + gap, null, "op", this::op);
  }

  private boolean busy(Node n, String name) {
    return n.held.stream().anyMatch(h -> h.name().equals(name))
        || n.pending.stream().anyMatch(p -> p.name.equals(name) && !p.future.isDone())
        || n.viewHolds.getOrDefault(name, 0) > 0;
  }

  private void one() {
    List<Node> live = world.nodes.stream().filter(Node::isLive).toList();
    if (live.size() < 2 && world.nodes.size() < MAX_NODES) {
      spawn.get();
      return;
    }
    if (live.isEmpty()) {
      return;
    }
    Node n = world.pick(live);
    String name = world.pick(names);
    Knobs k = world.knobs;
    int r = world.rnd.nextInt(100);
    boolean free = k.localContention() || !busy(n, name);
    if (r < 25) {
      if (free) {
        actions.tryAcquire(n, name);
      }
    } else if (r < 60) {
      if (free) {
        acquireAsync(n, name);
      }
    } else if (r < 68) {
      if (!n.held.isEmpty()) {
        actions.refresh(n, world.pick(n.held));
      }
    } else if (r < 70) {
      actions.forceRelease(n, name);
    } else if (r < 75) {
      actions.isLocked(n, name);
    } else if (r < 85) {
      if (free || n.viewHolds.getOrDefault(name, 0) > 0) {
        actions.viewLock(n, name, world.chance(0.3));
      }
    } else if (r < 87) {
      actions.list(n);
    } else if (r < 90) {
      if (k.freezes()) {
        long d = (long) (ttlNanos * (1.2 + 1.8 * world.rnd.nextDouble()));
        world.trace(n + " FREEZES for " + Duration.ofNanos(d));
        n.freeze(world.now() + d);
      }
    } else if (r < 92) {
      if (k.crashes() && live.size() > 2) {
        world.trace(n + " CRASHES");
        checker.crashed(n);
        n.crash();
        respawnLater();
      }
    } else if (r < 94) {
      if (k.closes() && live.size() > 2) {
        close(n);
      }
    } else if (r < 95) {
      if (k.hostileObjects() && world.chance(0.3)) {
        hostileSeen = true;
        Duration ttl =
            world.chance(0.5) ? Duration.ofMillis(Long.MAX_VALUE) : Duration.ofDays(365L * 285);
        world.store.putHostile(
            name,
            new LockRecord("hostile", "a corrupt writer", "hostile-nonce", ttl, World.EPOCH, 0));
      }
    } else if (free) {
      actions.tryAcquire(n, name);
    }
  }

  private void acquireAsync(Node n, String name) {
    Knobs k = world.knobs;
    double u = world.rnd.nextDouble();
    long wait;
    if (u < 0.1) {
      wait = 0;
    } else if (u < 0.5) {
      wait = world.nextNanos(2 * ttlNanos);
    } else if (u < 0.8 || !k.longGiveUps()) {
      wait = 2 * ttlNanos + world.nextNanos((k.longGiveUps() ? 8 : 4) * ttlNanos);
    } else {
      wait = Duration.ofHours(1).toNanos();
    }
    double v = world.rnd.nextDouble();
    Actions.Async how;
    if (v < 0.5) {
      how = Actions.Async.WAIT;
    } else if (v < 0.65) {
      how = k.dependentRelease() ? Actions.Async.RELEASE_IN_THEN_ACCEPT : Actions.Async.WAIT;
    } else if (v < 0.77) {
      how = Actions.Async.CANCEL;
    } else if (v < 0.89) {
      how = Actions.Async.OR_TIMEOUT;
    } else {
      how = Actions.Async.COMPLETE_EXCEPTIONALLY;
    }
    long giveUp = world.nextNanos(Math.min(Math.max(wait, 1), 4 * ttlNanos));
    actions.acquireAsync(n, name, wait, how, giveUp);
  }

  private void close(Node n) {
    world.trace(
        n + " CLOSES with " + n.held.size() + " leases and " + n.pending.size() + " acquisitions");
    List<Node.Held> held = List.copyOf(n.held);
    Meter m = Meter.start(world, n, "close()");
    try {
      n.registry.close();
    } catch (RuntimeException e) {
      world.violation(Invariant.EXCEPTION, n + ": close() threw " + e);
    } finally {
      m.stop(Integer.MAX_VALUE);
    }
    n.closed = true;
    for (Node.Held h : held) {
      actions.lockNanos += world.now() - h.since();
      checker.releaseFinished(h.lease().fencingToken());
    }
    n.held.clear();
    respawnLater();
  }

  private void respawnLater() {
    if (world.nodes.size() < MAX_NODES) {
      world.at(world.now() + world.nextNanos(2 * ttlNanos), null, "spawn", spawn::get);
    }
  }
}
