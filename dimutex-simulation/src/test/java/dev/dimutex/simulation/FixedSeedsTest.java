package dev.dimutex.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The fixed seed set that {@code ./mvnw verify} runs: the {@code full} profile, seeds 1-100, except
 * the seeds of the one open finding (a release after an unseen applied refresh, with a local
 * waiter, sends 5 requests; see {@link DefectSeedsTest.OpenFindings}), which break only the request
 * budget. Put them back when that is fixed.
 */
class FixedSeedsTest {

  static final String PROFILE = "full";
  static final int SEEDS = 100;
  static final java.util.Set<Long> OPEN_FINDING_SEEDS = java.util.Set.of(5L, 16L, 34L, 98L);

  @Test
  void everySeedOfTheFixedSetKeepsEveryInvariant() {
    SimulationMain.Sweep s = SimulationMain.Sweep.run(1, SEEDS, Knobs.named(PROFILE), true);
    System.out.println(s.summary());
    assertThat(s.failures())
        .as("failing seeds (each printed above with its trace and replay command)")
        .allSatisfy(
            r ->
                assertThat(r.broken())
                    .as("seed " + r.seed())
                    .containsOnlyKeys(Invariant.REQUEST_BUDGET))
        .extracting(Simulation.Result::seed)
        .allMatch(OPEN_FINDING_SEEDS::contains);
    assertThat(s.lockHours()).as("simulated lock-hours").isGreaterThan(5);
  }
}
