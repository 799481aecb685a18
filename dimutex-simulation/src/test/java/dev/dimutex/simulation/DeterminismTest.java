package dev.dimutex.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeterminismTest {

  @Test
  void aSeedReplaysToTheSameRunStepForStep() {
    Simulation.Result first = Simulation.run(7, Knobs.named("full"));
    Simulation.Result again = Simulation.run(7, Knobs.named("full"));

    assertThat(again.steps()).isEqualTo(first.steps());
    assertThat(again.violations()).isEqualTo(first.violations());
    assertThat(again.trace()).isEqualTo(first.trace());
    assertThat(again.simulatedNanos()).isEqualTo(first.simulatedNanos());
  }

  @Test
  void differentSeedsMakeDifferentRuns() {
    Simulation.Result a = Simulation.run(7, Knobs.named("today"));
    Simulation.Result b = Simulation.run(8, Knobs.named("today"));

    assertThat(b.trace()).isNotEqualTo(a.trace());
  }
}
