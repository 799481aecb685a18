package dev.dimutex.simulation;

import dev.dimutex.Lease;
import dev.dimutex.LockException;
import dev.dimutex.spi.StoredLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One run: builds the world from the seed, runs the workload with the checks after every step, lets
 * everything quiesce and checks what must hold afterwards: no lease, waiter or scheduled task left;
 * every object reclaimable one TTL after quiescence.
 */
final class Simulation {

  private static final long SECOND = 1_000_000_000L;
  private static final long MAX_QUIESCENCE = Duration.ofHours(2).toNanos();

  private final World world;
  private final Checker checker;
  private final Actions actions;
  private final Workload workload;
  private final Duration ttl;
  private final Duration backoffMin;
  private final Duration backoffCap;
  private int spawned;

  private Simulation(long seed, Knobs knobs, Set<Breakage> breakages) {
    world = new World(seed, knobs, breakages);
    List<Duration> ttls =
        knobs.profile().startsWith("today")
            ? List.of(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5))
            : List.of(
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(3),
                Duration.ofSeconds(5));
    ttl = world.pick(ttls);
    backoffMin = world.pick(List.of(Duration.ofMillis(10), Duration.ofMillis(50)));
    backoffCap =
        world.pick(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(1)));
    checker = new Checker(world, backoffCap.toNanos());
    long ttlNanos = ttl.toNanos();
    boolean full = knobs.longGiveUps() || knobs.maxRateError() > 0.01;
    actions =
        new Actions(
            world,
            checker,
            () -> {
              if (full && world.chance(0.15)) {
                return 5 * ttlNanos + world.nextNanos(35 * ttlNanos);
              }
              long d = (long) (-Math.log(1 - world.rnd.nextDouble()) * 1.5 * ttlNanos);
              return Math.min(d, (full ? 5 : 3) * ttlNanos);
            });
    List<String> names = List.of("a", "b", "c").subList(0, 1 + world.rnd.nextInt(3));
    workload = new Workload(world, actions, checker, names, this::spawn, ttl);
    int nodes = 2 + world.rnd.nextInt(5);
    for (int i = 0; i < nodes; i++) {
      spawn();
    }
  }

  static Result run(long seed, Knobs knobs) {
    return run(seed, knobs, EnumSet.noneOf(Breakage.class));
  }

  static Result run(long seed, Knobs knobs, Set<Breakage> breakages) {
    Simulation s = new Simulation(seed, knobs, breakages);
    try {
      s.runAll();
    } catch (RuntimeException | StackOverflowError e) {
      s.world.violation(Invariant.SIMULATOR, "the simulation itself failed: " + e);
    }
    return s.result();
  }

  private Node spawn() {
    Knobs k = world.knobs;
    double rate = 1 + (2 * world.rnd.nextDouble() - 1) * k.maxRateError();
    long origin = world.nextNanos(1L << 50);
    long offset = (long) ((2 * world.rnd.nextDouble() - 1) * k.maxWallOffset().toNanos());
    Node n = newNode("n" + (++spawned), rate, origin, offset, k.faultRate());
    world.trace("spawned " + n + " rate " + rate + " wall offset " + Duration.ofNanos(offset));
    return n;
  }

  private Node newNode(String id, double rate, long origin, long offset, double faultRate) {
    Node n =
        new Node(
            world,
            id,
            new NodeClock(world, rate, origin, offset),
            faultRate,
            ttl,
            backoffMin,
            backoffCap,
            checker);
    world.nodes.add(n);
    return n;
  }

  private void runUntil(long until) {
    while (world.step(until)) {
      checker.afterStep();
    }
    world.advance(until - world.now());
  }

  private void runAll() {
    long end = world.knobs.workload().toNanos();
    workload.start(end);
    runUntil(end);
    quiesce();
    long settle = 7 * ttl.toNanos() + 2 * SECOND;
    runUntil(world.now() + settle);
    leftovers();
    reclaim();
  }

  private void quiesce() {
    actions.quiescing = true;
    for (Node n : world.nodes) {
      for (Node.Held h : List.copyOf(n.held)) {
        world.at(world.now(), n, "release", () -> actions.release(n, h));
      }
    }
    long limit = world.now() + MAX_QUIESCENCE;
    while (!quiet() && world.step(limit)) {
      checker.afterStep();
    }
    if (!quiet()) {
      world.violation(
          Invariant.QUIESCENCE, "no quiescence within " + Duration.ofNanos(MAX_QUIESCENCE));
    }
  }

  private boolean quiet() {
    for (Node n : world.nodes) {
      if (n.isCrashed()) {
        continue;
      }
      if (!n.held.isEmpty()
          || n.viewHolds.values().stream().anyMatch(h -> h > 0)
          || n.pending.stream().anyMatch(p -> !p.future.isDone())) {
        return false;
      }
    }
    return true;
  }

  private void leftovers() {
    for (Node n : world.nodes) {
      if (n.isCrashed()) {
        continue;
      }
      if (!n.registry.heldLeases().isEmpty()) {
        world.violation(
            Invariant.QUIESCENCE,
            n + " still holds " + n.registry.heldLeases() + " after quiescence");
      }
      if (n.scheduler.pendingTasks() > 0) {
        world.violation(
            Invariant.QUIESCENCE,
            n + " has " + n.scheduler.pendingTasks() + " scheduled tasks left after quiescence");
      }
    }
  }

  /** Every object left must be reclaimable by a newcomer one TTL (at most a day) later. */
  private void reclaim() {
    List<StoredLock> left = world.store.snapshot();
    if (left.isEmpty()) {
      return;
    }
    long window = workload.hostileSeen ? Duration.ofDays(1).toNanos() : ttl.toNanos();
    runUntil(world.now() + (long) (window * 1.1) + backoffCap.toNanos() + 2 * SECOND);
    Node probe = newNode("probe", 1.0, 0, 0, 0);
    attempt(probe, "probe-scratch");
    for (StoredLock s : left) {
      if (world.store.liveGeneration(s.name()) == s.version().generation()
          && !attempt(probe, s.name())) {
        world.violation(
            Invariant.RECLAIM,
            "object '"
                + s.name()
                + "' "
                + s.version()
                + " of "
                + ownerOf(s)
                + " was not reclaimable one TTL after quiescence");
      }
    }
  }

  private boolean attempt(Node probe, String name) {
    try {
      Optional<Lease> l = probe.registry.obtain(name).tryAcquire();
      l.ifPresent(Lease::release);
      return l.isPresent();
    } catch (LockException e) {
      world.trace("probe " + name + " threw " + e);
      return true;
    } catch (RuntimeException e) {
      world.violation(
          Invariant.EXCEPTION,
          "probe tryAcquire('" + name + "') threw " + e + ", which is not a LockException");
      return true;
    }
  }

  private static String ownerOf(StoredLock s) {
    return s.record() == null ? "?" : s.record().ownerId();
  }

  private Result result() {
    return new Result(
        world.seed,
        world.knobs.profile(),
        List.copyOf(world.violations),
        java.util.Map.copyOf(world.broken),
        java.util.Map.copyOf(world.tracesByInvariant),
        world.traceLines(),
        world.steps(),
        actions.lockNanos / 3.6e12,
        world.now(),
        spawned);
  }

  /** The outcome of one run. */
  record Result(
      long seed,
      String profile,
      List<String> violations,
      java.util.Map<Invariant, Integer> broken,
      java.util.Map<Invariant, List<String>> tracesByInvariant,
      List<String> trace,
      long steps,
      double lockHours,
      long simulatedNanos,
      int nodes) {

    boolean ok() {
      return violations.isEmpty();
    }

    String replayCommand() {
      return "./mvnw -B -o -pl dimutex-simulation -am verify -Dtest=SimulationReplayTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dsim.seed="
          + seed
          + " -Dsim.profile="
          + profile;
    }

    String report() {
      List<String> out = new ArrayList<>();
      out.add(
          "seed "
              + seed
              + " (profile "
              + profile
              + "): violated "
              + new java.util.TreeMap<>(broken));
      violations.forEach(v -> out.add("  ! " + v));
      out.add(violations.isEmpty() ? "last steps:" : "steps up to the first violation:");
      trace.forEach(t -> out.add("  " + t));
      out.add("replay: " + replayCommand());
      return String.join("\n", out);
    }
  }
}
