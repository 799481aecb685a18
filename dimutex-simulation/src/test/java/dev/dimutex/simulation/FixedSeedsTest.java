package dev.dimutex.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.testing.Claim;
import org.junit.jupiter.api.Test;

/** The fixed seed set that {@code ./mvnw verify} runs: the {@code full} profile, seeds 1-100. */
class FixedSeedsTest {

  static final String PROFILE = "full";
  static final int SEEDS = 100;

  @Test
  @Claim("C-REL-1")
  void everySeedOfTheFixedSetKeepsEveryInvariant() {
    SimulationMain.Sweep s = SimulationMain.Sweep.run(1, SEEDS, Knobs.named(PROFILE), true);
    System.out.println(s.summary());
    assertThat(s.failures())
        .as("failing seeds (each printed above with its trace and replay command)")
        .extracting(Simulation.Result::seed)
        .isEmpty();
    assertThat(s.lockHours()).as("simulated lock-hours").isGreaterThan(5);
  }
}
