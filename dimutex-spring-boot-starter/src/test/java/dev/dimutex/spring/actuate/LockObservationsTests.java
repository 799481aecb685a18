package dev.dimutex.spring.actuate;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;

import io.micrometer.observation.tck.TestObservationRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LockObservationsTests {

  private final TestObservationRegistry registry = TestObservationRegistry.create();
  private final LockObservations observations = new LockObservations(registry);

  @Test
  void anAcquiredLockGivesAWaitAndAHoldObservationTaggedWithTheTemplate() {
    observations.acquiring("order-#{#id}");
    observations.acquired("order-#{#id}", Duration.ofMillis(5));
    observations.holdStarted("order-#{#id}").stop();

    assertThat(registry)
        .hasNumberOfObservationsWithNameEqualTo(LockObservations.WAIT, 1)
        .hasNumberOfObservationsWithNameEqualTo(LockObservations.HOLD, 1)
        .forAllObservationsWithNameEqualTo(
            LockObservations.WAIT,
            observation ->
                observation
                    .hasLowCardinalityKeyValue("lock", "order-#{#id}")
                    .hasLowCardinalityKeyValue("outcome", "acquired"))
        .forAllObservationsWithNameEqualTo(
            LockObservations.HOLD,
            observation ->
                observation
                    .hasContextualNameEqualTo("lock hold order-#{#id}")
                    .hasLowCardinalityKeyValue("lock", "order-#{#id}"));
  }

  @Test
  void aLockHeldElsewhereEndsTheWaitWithItsOutcomeAndHoldsNothing() {
    observations.acquiring("jobs");
    observations.timedOut("jobs", Duration.ofSeconds(1));

    assertThat(registry)
        .hasNumberOfObservationsWithNameEqualTo(LockObservations.HOLD, 0)
        .hasSingleObservationThat()
        .hasNameEqualTo(LockObservations.WAIT)
        .hasBeenStopped()
        .hasLowCardinalityKeyValue("outcome", "timed_out");
  }

  @Test
  void anAcquisitionThatThrewIsEndedAsAnErrorWhenTheNextOneStarts() {
    observations.acquiring("jobs");
    observations.acquiring("jobs");
    observations.skipped("jobs", Duration.ZERO);

    assertThat(registry)
        .hasNumberOfObservationsWithNameEqualTo(LockObservations.WAIT, 2)
        .hasAnObservation(
            observation -> observation.hasLowCardinalityKeyValue("outcome", "error").hasError())
        .hasAnObservation(
            observation -> observation.hasLowCardinalityKeyValue("outcome", "skipped"));
  }

  @Test
  void anUnreachableStoreEndsTheWaitWithOutcomeUnavailable() {
    observations.acquiring("jobs");
    observations.unavailable("jobs", Duration.ofSeconds(1));

    assertThat(registry)
        .hasSingleObservationThat()
        .hasBeenStopped()
        .hasLowCardinalityKeyValue("outcome", "unavailable");
  }
}
