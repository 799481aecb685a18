package dev.dimutex.simulation;

import org.jspecify.annotations.Nullable;

/**
 * Counts the store requests of one call (an API call of the workload or one scheduled task), not
 * those of calls nested in it, and checks them against the call's request budget when no fault was
 * injected into it.
 */
final class Meter {

  private final World world;
  private final Node node;
  private final String what;
  private final @Nullable Meter outer;
  int requests;
  int faults;

  private Meter(World world, Node node, String what, @Nullable Meter outer) {
    this.world = world;
    this.node = node;
    this.what = what;
    this.outer = outer;
  }

  static Meter start(World world, Node node, String what) {
    Meter m = new Meter(world, node, what, node.meter);
    node.meter = m;
    return m;
  }

  void stop(int budget) {
    node.meter = outer;
    if (faults == 0 && requests > budget) {
      world.violation(
          Invariant.REQUEST_BUDGET,
          node
              + ": "
              + what
              + " sent "
              + requests
              + " requests without any fault (budget "
              + budget
              + ")");
    }
  }
}
