package dev.dimutex.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Evidence that the simulator finds the six defects of issue 10 §3 on today's core: each test
 * replays one seed and asserts that it DOES break the invariant the defect breaks. These are known
 * failures of the old code, kept apart from {@link FixedSeedsTest}. When the core's fixes land,
 * flip each assertion to {@code isEmpty()} (the seed must then pass) and add the trigger to the
 * fixed set's profile.
 */
class KnownDefectsOnTodaysCoreTest {

  private static Simulation.Result replay(long seed, String profile) {
    Simulation.Result r = Simulation.run(seed, Knobs.named(profile));
    System.out.println(r.report());
    return r;
  }

  @Nested
  class Defect1ServerTimeRuleAssumesEqualClockRates {
    @Test
    void aWaiterWithAFastClockTakesOverAHealthyLeaseTooEarlyForRuleOne() {
      Simulation.Result r = replay(1, "today+rate");
      assertThat(r.broken()).containsKey(Invariant.MUTUAL_EXCLUSION);
      assertThat(r.violations()).anyMatch(v -> v.contains("by the server-time rule 2"));
    }
  }

  @Nested
  class Defect2CancelledAsyncAcquisitionsStayQueued {
    @Test
    void futuresTheCallerGaveUpOnLeaveTheirTimeoutTasksBehind() {
      Simulation.Result r = replay(1, "today+giveup");
      assertThat(r.violations())
          .anyMatch(v -> v.contains("QUIESCENCE") && v.contains("scheduled tasks left"));
    }
  }

  @Nested
  class Defect3HandOverCompletesTheSuccessorsFutureInsideTheRelease {
    @Test
    void aWaitersFutureIsCompletedInsideAnotherLeasesRelease() {
      Simulation.Result r = replay(1, "today+contention");
      assertThat(r.broken()).containsKey(Invariant.REENTRANT_DELIVERY);
    }
  }

  @Nested
  class Defect4HandOverAppliedLate {
    @Test
    void aReleaseReportsItsHealthyLeaseLostThoughNoOneElseWroteTheObject() {
      Simulation.Result r = replay(1, "today+contention+late");
      assertThat(r.broken()).containsKey(Invariant.FALSE_LOST);
    }
  }

  @Nested
  class Defect5ListenerEventsOutOfOrder {
    @Test
    void aCallerThatReleasesInThenAcceptProducesReleasedBeforeAcquired() {
      Simulation.Result r = replay(1, "today+dependent");
      assertThat(r.violations()).anyMatch(v -> v.contains("before onAcquired"));
    }

    @Test
    void aLocalHandOverAnnouncesTheSuccessorBeforeThePredecessorIsReleased() {
      Simulation.Result r = replay(1, "today+contention");
      assertThat(r.violations()).anyMatch(v -> v.contains("local hand-over"));
    }
  }

  @Nested
  class Defect6HostileLockObjects {
    @Test
    void anObjectWithAMaximalTtlMakesTheApiThrowArithmeticException() {
      Simulation.Result r = replay(2, "today+hostile");
      assertThat(r.violations())
          .anyMatch(v -> v.contains("EXCEPTION") && v.contains("ArithmeticException"));
    }

    @Test
    void anObjectWithACenturiesLongTtlIsNotReclaimableWithinADay() {
      Simulation.Result r = replay(33, "today+hostile");
      assertThat(r.broken()).containsKey(Invariant.RECLAIM);
    }
  }

  @Nested
  class FurtherFindings {
    @Test
    void aReleaseAfterAnUnseenAppliedRefreshSendsFiveRequestsWhenALocalWaiterExists() {
      Simulation.Result r = replay(10, "today+contention+late");
      assertThat(r.violations()).anyMatch(v -> v.contains("release(") && v.contains("5 requests"));
    }

    @Test
    void aLostLeaseItsOwnerKeepsBlocksThatRegistrysWaitersFromTakingOverACrashedHolder() {
      Simulation.Result r = replay(5, "full");
      assertThat(r.broken()).containsKey(Invariant.CRASH_RECOVERY);
    }
  }
}
