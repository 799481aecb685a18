package dev.dimutex.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * Replays one seed given as {@code -Dsim.seed=N} (and {@code -Dsim.profile=P}); see SIMULATION.md.
 */
class SimulationReplayTest {

  @Test
  void theGivenSeedViolatesNoInvariant() {
    String seed = System.getProperty("sim.seed", "");
    assumeTrue(!seed.isBlank(), "no seed given: run with -Dsim.seed=N to replay one");
    Simulation.Result r =
        Simulation.run(
            Long.parseLong(seed), Knobs.named(System.getProperty("sim.profile", "full")));
    System.out.println(r.report());
    assertThat(r.violations()).as(r.report()).isEmpty();
  }
}
