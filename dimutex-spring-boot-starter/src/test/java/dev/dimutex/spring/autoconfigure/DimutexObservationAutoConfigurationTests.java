package dev.dimutex.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.spring.actuate.LockObservations;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class DimutexObservationAutoConfigurationTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(DimutexObservationAutoConfiguration.class));

  @Test
  void observationsNeedAnObservationRegistry() {
    runner.run(context -> assertThat(context).doesNotHaveBean(LockObservations.class));
    runner
        .withBean(ObservationRegistry.class, ObservationRegistry::create)
        .run(context -> assertThat(context).hasSingleBean(LockObservations.class));
  }

  @Test
  void observationsCanBeSwitchedOff() {
    runner
        .withBean(ObservationRegistry.class, ObservationRegistry::create)
        .withPropertyValues("dimutex.observations.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(LockObservations.class));
  }

  @Test
  void disabledDimutexReportsNoObservations() {
    runner
        .withBean(ObservationRegistry.class, ObservationRegistry::create)
        .withPropertyValues("dimutex.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(LockObservations.class));
  }
}
