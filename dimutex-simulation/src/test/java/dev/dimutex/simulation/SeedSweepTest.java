package dev.dimutex.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * Runs as many seeds as asked for with {@code -Dsim.seeds=N} (from {@code -Dsim.from=S}, profile
 * {@code -Dsim.profile=P}); see SIMULATION.md.
 */
class SeedSweepTest {

  @Test
  void everySeedOfTheRequestedSweepKeepsEveryInvariant() {
    long seeds = Long.getLong("sim.seeds", 0);
    assumeTrue(seeds > 0, "no sweep asked for: run with -Dsim.seeds=N");
    SimulationMain.Sweep s =
        SimulationMain.Sweep.run(
            Long.getLong("sim.from", 1),
            seeds,
            Knobs.named(System.getProperty("sim.profile", "full")),
            true);
    System.out.println(s.summary());
    assertThat(s.failures()).extracting(Simulation.Result::seed).isEmpty();
  }
}
