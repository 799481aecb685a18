package dev.dimutex.simulation;

import dev.dimutex.Lease;
import dev.dimutex.LeaseInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The invariants checked during a run, against true time: at most one healthy lease per name;
 * listener events of each lease in order; every acquisition future completed by its deadline plus
 * {@link #slackNanos()}; a crashed holder recovered within the SEMANTICS.md bound. The store model
 * checks that no release or refresh changes another owner's object, {@link Meter} checks request
 * budgets, {@link Actions} the exceptions the API throws, and {@link Simulation} what must hold
 * after quiescence.
 */
final class Checker {

  /** What the listeners said about one lease. */
  private static final class Events {
    boolean acquired;
    boolean ended;
    boolean releaseCallDone;
    int lost;
    int released;
  }

  /** A holder that crashed while its lease was healthy. */
  private record Crash(String name, long token, long holderTtlNanos) {}

  private final World world;
  private final Map<Long, Events> events = new HashMap<>();
  private final List<Crash> crashes = new ArrayList<>();
  private final Set<String> reported = new HashSet<>();
  private final long maxCapNanos;

  Checker(World world, long maxCapNanos) {
    this.world = world;
    this.maxCapNanos = maxCapNanos;
  }

  /** Deadlines and recovery bounds hold within this much true time. */
  long slackNanos() {
    return 2_000_000_000L + 2 * maxCapNanos + world.longestStep();
  }

  void listenerEvent(Node node, String kind, Lease lease) {
    long token = lease.fencingToken();
    Events e = events.computeIfAbsent(token, t -> new Events());
    switch (kind) {
      case "acquired" -> {
        if (e.acquired) {
          world.violation(Invariant.LISTENER_ORDER, node + ": onAcquired twice for token " + token);
        }
        if (e.ended) {
          world.violation(
              Invariant.LISTENER_ORDER,
              node + ": onAcquired for token " + token + " after its released/lost event");
        }
        e.acquired = true;
        StoreModel.Generation g = world.store.generation(token);
        Events pred = g == null ? null : events.get(g.predecessor);
        StoreModel.Generation pg = g == null ? null : world.store.generation(g.predecessor);
        if (pred != null
            && pg != null
            && pg.owner.equals(node.ownerId)
            && pred.acquired
            && !pred.ended
            && !pred.releaseCallDone) {
          world.violation(
              Invariant.LISTENER_ORDER,
              node
                  + ": local hand-over: successor token "
                  + token
                  + " acquired before predecessor "
                  + g.predecessor
                  + " was released");
        }
      }
      case "released", "lost" -> {
        if (!e.acquired) {
          world.violation(
              Invariant.LISTENER_ORDER,
              node + ": on" + kind + " for token " + token + " before onAcquired");
        }
        if (kind.equals("lost") && ++e.lost > 1) {
          world.violation(Invariant.LISTENER_ORDER, node + ": onLost twice for token " + token);
        }
        if (kind.equals("released") && ++e.released > 1) {
          world.violation(Invariant.LISTENER_ORDER, node + ": onReleased twice for token " + token);
        }
        e.ended = true;
      }
      default -> throw new IllegalArgumentException(kind);
    }
  }

  /** A release call of the workload on this name returned (or threw). */
  void releaseFinished(long token) {
    events.computeIfAbsent(token, t -> new Events()).releaseCallDone = true;
  }

  void crashed(Node node) {
    for (LeaseInfo info : node.registry.heldLeases()) {
      if (info.healthy()) {
        crashes.add(new Crash(info.name(), info.fencingToken(), node.ttl.toNanos()));
      }
    }
  }

  void afterStep() {
    mutualExclusion();
    deadlines();
    crashRecovery();
  }

  private void mutualExclusion() {
    Map<String, List<String>> healthy = new TreeMap<>();
    for (Node n : world.nodes) {
      if (n.isCrashed()) {
        continue;
      }
      for (LeaseInfo info : n.registry.heldLeases()) {
        StoreModel.Generation g = world.store.generation(info.fencingToken());
        if (info.healthy() && (g == null || !g.removedByForce)) {
          healthy.computeIfAbsent(info.name(), k -> new ArrayList<>()).add(describe(n, info));
        }
      }
    }
    healthy.forEach(
        (name, leases) -> {
          if (leases.size() > 1 && reported.add("mutex " + name + " " + leases.get(0))) {
            world.violation(
                Invariant.MUTUAL_EXCLUSION, "two healthy leases on '" + name + "': " + leases);
          }
        });
  }

  private String describe(Node n, LeaseInfo info) {
    StoreModel.Generation g = world.store.generation(info.fencingToken());
    String age =
        g == null
            ? ""
            : String.format(
                ", created %.3fs, last own write %.3fs", g.createdAt / 1e9, g.lastOwnWriteAt / 1e9);
    String rule = "";
    StoreModel.Generation pred = g == null ? null : world.store.generation(g.predecessor);
    if (g != null && pred != null && !pred.owner.equals(g.owner)) {
      double gap = (g.createdAt - pred.lastOwnWriteAt) / 1e9;
      double ttl = n.ttl.toNanos() / 1e9;
      rule =
          String.format(
              ", took over %.3fs after the holder's last write with TTL %.0fs: %s",
              gap,
              ttl,
              gap * (1 + world.knobs.maxRateError()) < ttl
                  ? "too early for rule 1, so by the server-time rule 2"
                  : "rule 1, clock rates further apart than the TTL/10 margin covers");
    }
    return String.format(
        "%s token %d (rate %.4f%s%s)", n, info.fencingToken(), n.clock.rate, age, rule);
  }

  private void deadlines() {
    for (Node n : world.nodes) {
      if (n.isCrashed()) {
        continue;
      }
      for (Node.Pending p : n.pending) {
        if (!p.future.isDone()
            && !p.exempt
            && !p.reported
            && world.now() > p.deadline + slackNanos()) {
          p.reported = true;
          world.violation(
              Invariant.DEADLINE,
              String.format(
                  "%s: acquisition of '%s' started at %.3fs not completed %.3fs after its"
                      + " deadline %.3fs",
                  n, p.name, p.start / 1e9, (world.now() - p.deadline) / 1e9, p.deadline / 1e9));
        }
      }
    }
  }

  private void crashRecovery() {
    for (Crash c : crashes) {
      StoreModel.Generation g = world.store.generation(c.token);
      if (g == null || world.store.liveGeneration(c.name) != c.token) {
        continue;
      }
      for (Node n : world.nodes) {
        if (!n.isLive()) {
          continue;
        }
        for (Node.Pending p : n.pending) {
          long bound =
              Math.max(g.lastOwnWriteAt, p.start)
                  + (long)
                      ((c.holderTtlNanos + n.backoffCap.toNanos())
                          / (1 - world.knobs.maxRateError()))
                  + slackNanos();
          if (p.name.equals(c.name)
              && !p.future.isDone()
              && !p.exempt
              && p.deadline > bound
              && world.now() > bound
              && reported.add("crash " + c.token + " " + n)) {
            world.violation(
                Invariant.CRASH_RECOVERY,
                String.format(
                    "%s has waited for '%s' since %.3fs, but the crashed holder's token %d (last"
                        + " write %.3fs) is still not taken over",
                    n, c.name, p.start / 1e9, c.token, g.lastOwnWriteAt / 1e9));
          }
        }
      }
    }
  }
}
