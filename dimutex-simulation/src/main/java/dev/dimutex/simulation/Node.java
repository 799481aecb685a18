package dev.dimutex.simulation;

import dev.dimutex.InspectableLockRegistry;
import dev.dimutex.Lease;
import dev.dimutex.LockListener;
import dev.dimutex.LockLostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One simulated process: a registry with its own clocks, scheduler, store view, random source and
 * listeners, plus what the workload holds through it.
 */
final class Node {

  /** A lease the workload holds. */
  record Held(Lease lease, String name, long since) {}

  /** An acquisition the workload waits for. */
  static final class Pending {
    final String name;
    final CompletableFuture<Lease> future;
    final long start;
    final long deadline;
    boolean exempt;
    boolean reported;

    Pending(String name, CompletableFuture<Lease> future, long start, long deadline) {
      this.name = name;
      this.future = future;
      this.start = start;
      this.deadline = deadline;
    }
  }

  final World world;
  final String ownerId;
  final NodeClock clock;
  final NodeScheduler scheduler;
  final FaultyStore store;
  final Random random;
  final InspectableLockRegistry registry;
  final Duration ttl;
  final Duration backoffCap;
  final List<Held> held = new ArrayList<>();
  final List<Pending> pending = new ArrayList<>();
  final Map<String, Integer> viewHolds = new HashMap<>();
  @Nullable Meter meter;
  private long frozenUntil;
  private boolean crashed;
  boolean closed;

  Node(
      World world,
      String ownerId,
      NodeClock clock,
      double faultRate,
      Duration ttl,
      Duration backoffMin,
      Duration backoffCap,
      Checker checker) {
    this.world = world;
    this.ownerId = ownerId;
    this.clock = clock;
    this.ttl = ttl;
    this.backoffCap = backoffCap;
    this.random = new Random(world.rnd.nextLong());
    this.scheduler = new NodeScheduler(world, this);
    this.store = new FaultyStore(world, this, faultRate);
    this.registry =
        RegistryFactory.create(this, ttl, backoffMin, backoffCap, recorder(checker), thrower());
  }

  /** Pauses the calling registry: true time passes while its thread sleeps. */
  void sleep(long localNanos) {
    world.advance(clock.trueDelay(localNanos));
  }

  long frozenUntil() {
    return frozenUntil;
  }

  boolean isCrashed() {
    return crashed;
  }

  boolean isLive() {
    return !crashed && !closed && frozenUntil <= world.now();
  }

  void freeze(long until) {
    frozenUntil = Math.max(frozenUntil, until);
    pending.forEach(p -> p.exempt = true);
  }

  void crash() {
    crashed = true;
    scheduler.crash();
  }

  private LockListener recorder(Checker checker) {
    return new LockListener() {
      private final Map<Long, Lease> late = new HashMap<>();

      @Override
      public void onAcquired(Lease lease, Duration waited) {
        if (world.broken(Breakage.LATE_ACQUIRED_EVENTS)) {
          late.put(lease.fencingToken(), lease);
        } else {
          checker.listenerEvent(Node.this, "acquired", lease);
        }
      }

      private void end(String kind, Lease lease) {
        checker.listenerEvent(Node.this, kind, lease);
        Lease held = late.remove(lease.fencingToken());
        if (held != null) {
          checker.listenerEvent(Node.this, "acquired", held);
        }
      }

      @Override
      public void onReleased(Lease lease, Duration heldFor) {
        end("released", lease);
      }

      @Override
      public void onLost(Lease lease, LockLostException cause) {
        end("lost", lease);
      }
    };
  }

  /** A second listener that throws now and then: the registry must isolate it. */
  private LockListener thrower() {
    return new LockListener() {
      private void maybeThrow(String event) {
        if (world.chance(0.1)) {
          throw new IllegalStateException("listener failure in " + event + " (simulated)");
        }
      }

      @Override
      public void onAcquired(Lease lease, Duration waited) {
        maybeThrow("onAcquired");
      }

      @Override
      public void onReleased(Lease lease, Duration heldFor) {
        maybeThrow("onReleased");
      }

      @Override
      public void onLost(Lease lease, LockLostException cause) {
        maybeThrow("onLost");
      }

      @Override
      public void onRefreshFailed(Lease lease, Throwable cause) {
        maybeThrow("onRefreshFailed");
      }
    };
  }

  @Override
  public String toString() {
    return ownerId;
  }
}
