package dev.dimutex.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Each invariant that today's core never violates in the {@code today} profile is shown to fail on
 * a deliberately broken world, so that a passing seed set means something. (The invariants that
 * today's core does violate are shown in {@link KnownDefectsOnTodaysCoreTest}.)
 */
class CheckerCatchesTest {

  private static Set<Invariant> brokenIn(Breakage breakage, long... seeds) {
    Set<Invariant> out = EnumSet.noneOf(Invariant.class);
    LongStream.of(seeds)
        .forEach(
            seed ->
                out.addAll(
                    Simulation.run(seed, Knobs.named("today"), EnumSet.of(breakage))
                        .broken()
                        .keySet()));
    return out;
  }

  @Nested
  class OnAStoreThatIgnoresPreconditions {
    @Test
    void theCheckerCatchesTwoHealthyLeasesAndWritesToAnotherOwnersObject() {
      assertThat(brokenIn(Breakage.IGNORE_PRECONDITIONS, 1, 2, 3))
          .contains(Invariant.MUTUAL_EXCLUSION, Invariant.FOREIGN_WRITE);
    }
  }

  @Nested
  class WhenSomeoneKeepsRefreshingEveryObject {
    @Test
    void theCheckerCatchesUnrecoveredCrashesAndUnreclaimableObjects() {
      assertThat(brokenIn(Breakage.ZOMBIE_REFRESHER, LongStream.rangeClosed(1, 20).toArray()))
          .contains(Invariant.CRASH_RECOVERY, Invariant.RECLAIM);
    }
  }

  @Nested
  class WithAStoreClientThatReadsBeforeEveryWrite {
    @Test
    void theCheckerCatchesCallsOverTheirRequestBudget() {
      assertThat(brokenIn(Breakage.CHATTY_CLIENT, 1, 2)).contains(Invariant.REQUEST_BUDGET);
    }
  }

  @Nested
  class WithASchedulerThatDropsDistantTasks {
    @Test
    void theCheckerCatchesAcquisitionsThatOutliveTheirDeadline() {
      assertThat(brokenIn(Breakage.LOSSY_SCHEDULER, 1, 2, 3)).contains(Invariant.DEADLINE);
    }
  }

  @Nested
  class WithALockViewThatIsNotReentrant {
    @Test
    void theCheckerCatchesAHolderThatCannotLockAgain() {
      assertThat(brokenIn(Breakage.NON_REENTRANT_VIEW, 1, 2)).contains(Invariant.REENTRANT_LOCK);
    }
  }

  @Nested
  class WithASchedulerThatKeepsCancelledTasks {
    @Test
    void theCheckerCatchesTasksLeftAfterQuiescence() {
      assertThat(brokenIn(Breakage.LEAKY_SCHEDULER, 1, 2)).contains(Invariant.QUIESCENCE);
    }
  }

  @Nested
  class WithAListenerThatHearsAcquiredLate {
    @Test
    void theCheckerCatchesReleasedBeforeAcquired() {
      assertThat(brokenIn(Breakage.LATE_ACQUIRED_EVENTS, 1)).contains(Invariant.LISTENER_ORDER);
    }
  }
}
