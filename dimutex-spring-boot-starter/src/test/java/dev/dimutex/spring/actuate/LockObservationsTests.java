package dev.dimutex.spring.actuate;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;

import dev.dimutex.spring.DistributedLockObserver;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

class LockObservationsTests {

  private final TestObservationRegistry registry = TestObservationRegistry.create();
  private final LockObservations observations = new LockObservations(registry);

  @Test
  void anAcquiredLockGivesAWaitAndAHoldObservationTaggedWithTheTemplate() {
    observations.acquiring("order-#{#id}").acquired();
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
    observations.acquiring("jobs").timedOut();

    assertThat(registry)
        .hasNumberOfObservationsWithNameEqualTo(LockObservations.HOLD, 0)
        .hasSingleObservationThat()
        .hasNameEqualTo(LockObservations.WAIT)
        .hasBeenStopped()
        .hasLowCardinalityKeyValue("outcome", "timed_out");
  }

  @Test
  void anAcquisitionThatThrewEndsItsWaitAtOnceWithOutcomeErrorAndTheException() {
    IllegalStateException thrown = new IllegalStateException("mutex bug");

    observations.acquiring("jobs").failed(thrown);

    assertThat(registry)
        .hasSingleObservationThat()
        .hasBeenStopped()
        .hasLowCardinalityKeyValue("outcome", "error")
        .hasError(thrown);
  }

  @Test
  void twoWaitsOnOneThreadEndEachWithItsOwnOutcome() {
    DistributedLockObserver.Wait first = observations.acquiring("jobs");
    observations.acquiring("jobs").skipped();
    first.acquired();

    assertThat(registry)
        .hasNumberOfObservationsWithNameEqualTo(LockObservations.WAIT, 2)
        .hasAnObservation(
            observation -> observation.hasLowCardinalityKeyValue("outcome", "skipped"))
        .hasAnObservation(
            observation -> observation.hasLowCardinalityKeyValue("outcome", "acquired"));
  }

  @Test
  void aWaitCancelledBeforeItsOutcomeEndsWithOutcomeCancelled() {
    observations.acquiring("jobs").cancelled();

    assertThat(registry)
        .hasSingleObservationThat()
        .hasBeenStopped()
        .hasLowCardinalityKeyValue("outcome", "cancelled")
        .doesNotHaveError();
  }

  @Test
  void anUnreachableStoreEndsTheWaitWithOutcomeUnavailable() {
    observations.acquiring("jobs").unavailable();

    assertThat(registry)
        .hasSingleObservationThat()
        .hasBeenStopped()
        .hasLowCardinalityKeyValue("outcome", "unavailable");
  }
}
