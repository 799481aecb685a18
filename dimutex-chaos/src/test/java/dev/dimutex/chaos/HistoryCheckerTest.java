package dev.dimutex.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HistoryCheckerTest {

  private static final long MS = 1_000_000L;
  private static final CheckLimits LIMITS =
      CheckLimits.derive(Duration.ofSeconds(4), Duration.ofSeconds(1));

  /** Builds histories of sections that each read the previous one's write. */
  private static final class Builder {
    final List<Section> sections = new ArrayList<>();
    final Map<Long, Long> refreshes = new HashMap<>();
    final List<FaultEvent> faults = new ArrayList<>();
    final List<WorkerRequests> requests = new ArrayList<>();
    final List<String> exits = new ArrayList<>();
    long count;
    @Nullable String lastWriter;
    long end = 100_000 * MS;

    Builder accepted(String worker, long token, long enterMs, long exitMs) {
      return add(worker, token, enterMs, exitMs, true, true, WriteOutcome.ACCEPTED);
    }

    Builder add(
        String worker,
        long token,
        long enterMs,
        long exitMs,
        boolean completed,
        boolean healthyBeforeWrite,
        WriteOutcome outcome) {
      return add(worker, token, enterMs, exitMs, completed, healthyBeforeWrite, -1, outcome);
    }

    /** Like the other, with the time of the health check before the write. */
    Builder add(
        String worker,
        long token,
        long enterMs,
        long exitMs,
        boolean completed,
        boolean healthyBeforeWrite,
        long healthCheckMs,
        WriteOutcome outcome) {
      String nonce = worker + "-" + sections.size();
      sections.add(
          new Section(
              worker,
              sections.size(),
              token,
              enterMs * MS,
              exitMs * MS,
              completed,
              nonce,
              count,
              lastWriter,
              healthyBeforeWrite,
              healthCheckMs < 0 ? exitMs * MS : healthCheckMs * MS,
              outcome));
      if (outcome == WriteOutcome.ACCEPTED) {
        count++;
        lastWriter = nonce;
      }
      return this;
    }

    ChaosHistory build() {
      return build(count, lastWriter);
    }

    ChaosHistory build(long finalCount, @Nullable String finalWriter) {
      return new ChaosHistory(
          sections, finalCount, finalWriter, refreshes, faults, requests, 10, end, exits);
    }
  }

  @Nested
  class MutualExclusion {

    @Test
    void sequentialSectionsPass() {
      ChaosHistory history =
          new Builder().accepted("w1", 1, 0, 100).accepted("w2", 2, 150, 300).build();

      CheckResult result = HistoryChecker.check(history, LIMITS);

      assertThat(result.violations()).isEmpty();
      assertThat(result.acceptedIncrements()).isEqualTo(2);
      assertThat(result.passed()).isTrue();
    }

    @Test
    void overlapOfTwoAcceptedSectionsIsDetected() {
      Builder b = new Builder().accepted("w1", 1, 0, 500);
      // w2 entered while w1 was still inside and before its lease could have expired
      b.add("w2", 2, 200, 600, true, true, WriteOutcome.REJECTED);

      CheckResult result = HistoryChecker.check(b.build(), LIMITS);

      assertThat(result.violations())
          .extracting(Violation::kind)
          .containsExactly(Violation.Kind.OVERLAP);
      assertThat(result.violations().get(0).message())
          .contains("w1#0 (token 1) overlaps w2#1 (token 2)")
          .contains("increment was applied");
    }

    @Test
    void overlapWithAFencedOffExpiredHolderIsLegal() {
      // w1 froze inside its section from 100 ms to 9 s; its lease was last refreshed at 500 ms;
      // w2 took over at 5 s (after 500 ms + 4 s TTL) and incremented; w1 woke up, saw its lease
      // unhealthy, wrote anyway and was rejected by the generation precondition.
      Builder b = new Builder();
      b.add("w1", 1, 100, 9_000, true, false, WriteOutcome.REJECTED);
      b.accepted("w2", 2, 5_000, 5_300);
      b.refreshes.put(1L, 500 * MS);

      CheckResult result = HistoryChecker.check(b.build(), LIMITS);

      assertThat(result.violations()).isEmpty();
      assertThat(result.legalOverlaps()).isEqualTo(1);
    }

    @Test
    void overlapBeforeTheEarlierLeaseExpiredIsDetectedEvenIfItsWriteWasRejected() {
      Builder b = new Builder();
      b.add("w1", 1, 100, 9_000, true, false, WriteOutcome.REJECTED);
      b.accepted("w2", 2, 4_000, 4_300);
      b.refreshes.put(1L, 500 * MS); // expiry at 0.5 s + 3.6 s = 4.1 s: w2 was 100 ms early

      CheckResult result = HistoryChecker.check(b.build(), LIMITS);

      assertThat(result.violations())
          .singleElement()
          .satisfies(
              v -> {
                assertThat(v.kind()).isEqualTo(Violation.Kind.OVERLAP);
                assertThat(v.message()).contains("100 ms before the earlier lease expired");
              });
    }

    @Test
    void overlapAfterTheDocumentedDeadlineButWithinTheTtlIsLegalWhenTheWriteWasFencedOff() {
      // w1's last confirmed refresh arrived at 500 ms: its lease was healthy until 0.5 s + 4 s -
      // 0.4 s = 4.1 s. w2 entered at 4.2 s, inside the TTL but after that deadline.
      Builder b = new Builder();
      b.add("w1", 1, 100, 9_000, true, false, WriteOutcome.REJECTED);
      b.accepted("w2", 2, 4_200, 4_500);
      b.refreshes.put(1L, 500 * MS);

      CheckResult result = HistoryChecker.check(b.build(), LIMITS);

      assertThat(result.violations()).isEmpty();
      assertThat(result.legalOverlaps()).isEqualTo(1);
    }

    @Test
    void leaseThatStillSaysHealthyAfterItExpiredIsDetected() {
      // w1 froze, woke at 8.9 s and its lease (expiry 0.1 s + 4 s - 0.4 s) still said healthy
      Builder b = new Builder();
      b.add("w1", 1, 100, 9_000, true, true, 8_900, WriteOutcome.REJECTED);
      b.accepted("w2", 2, 5_000, 5_300);

      CheckResult result = HistoryChecker.check(b.build(), LIMITS);

      assertThat(result.violations())
          .singleElement()
          .satisfies(
              v ->
                  assertThat(v.message())
                      .contains("lease still said healthy 5200 ms after it had expired"));
    }

    @Test
    void pauseBetweenAHealthyCheckAndARejectedWriteIsLegal() {
      // w1 checked its lease at 300 ms (healthy, rightly), then froze before writing; the write
      // went out after w2 had taken over and was rejected by the generation precondition
      Builder b = new Builder();
      b.add("w1", 1, 100, 9_000, true, true, 300, WriteOutcome.REJECTED);
      b.accepted("w2", 2, 5_000, 5_300);

      CheckResult result = HistoryChecker.check(b.build(), LIMITS);

      assertThat(result.violations()).isEmpty();
      assertThat(result.legalOverlaps()).isEqualTo(1);
    }

    @Test
    void aWriteReportedRejectedButSeenByALaterReaderCountsAsApplied() {
      // w1 lost the response of its applied write and wrongly concluded "rejected"; w2 then read
      // w1's nonce while w1 was still inside: that overlap is illegal.
      Builder b = new Builder();
      b.add("w1", 1, 0, 6_000, true, false, WriteOutcome.REJECTED);
      b.lastWriter = "w1-0";
      b.count = 1;
      b.accepted("w2", 2, 5_000, 5_300);

      CheckResult result = HistoryChecker.check(b.build(), LIMITS);

      assertThat(result.acceptedIncrements()).isEqualTo(2);
      assertThat(result.violations())
          .extracting(Violation::kind)
          .containsExactly(Violation.Kind.OVERLAP);
    }
  }

  @Nested
  class Counter {

    @Test
    void counterHigherThanTheAppliedIncrementsIsDetected() {
      Builder b = new Builder().accepted("w1", 1, 0, 100).accepted("w2", 2, 150, 300);

      CheckResult result = HistoryChecker.check(b.build(3, b.lastWriter), LIMITS);

      assertThat(result.violations())
          .singleElement()
          .satisfies(
              v -> {
                assertThat(v.kind()).isEqualTo(Violation.Kind.COUNTER_MISMATCH);
                assertThat(v.message())
                    .isEqualTo("final counter is 3 but 2 increments were applied");
              });
    }

    @Test
    void incrementOfAKilledWorkerIsCountedWhenALaterReaderSawIt() {
      Builder b = new Builder();
      // w1 was killed after its write applied but before it recorded its exit
      b.add("w1", 1, 0, 200, false, true, WriteOutcome.UNKNOWN);
      b.lastWriter = "w1-0";
      b.count = 1;
      b.accepted("w2", 2, 4_500, 4_700);

      CheckResult result = HistoryChecker.check(b.build(), LIMITS);

      assertThat(result.violations()).isEmpty();
      assertThat(result.acceptedIncrements()).isEqualTo(2);
    }

    @Test
    void incrementReadOnlyByASectionThatWasKilledLaterIsNotALostUpdate() {
      Builder b = new Builder().accepted("w1", 1, 0, 100);
      // w1's next section read w1-0, wrote, and was killed before recording its exit; w2 read it
      b.add("w1", 2, 150, 300, false, true, WriteOutcome.UNKNOWN);
      b.lastWriter = "w1-1";
      b.count = 2;
      b.accepted("w2", 3, 4_500, 4_700);

      CheckResult result = HistoryChecker.check(b.build(), LIMITS);

      assertThat(result.violations()).isEmpty();
      assertThat(result.acceptedIncrements()).isEqualTo(3);
    }

    @Test
    void twoAppliedIncrementsOfTheSameValueAreALostUpdate() {
      Builder b = new Builder().accepted("w1", 1, 0, 100);
      b.count = 0; // w2 read the value w1 had read: w1's increment was overwritten
      b.lastWriter = null;
      b.accepted("w2", 2, 150, 300);

      CheckResult result = HistoryChecker.check(b.build(1, "w2-1"), LIMITS);

      assertThat(result.violations())
          .extracting(Violation::kind)
          .contains(Violation.Kind.LOST_UPDATE);
    }
  }

  @Nested
  class Recovery {

    @Test
    void crashedHolderRecoveredWithinTheBoundPasses() {
      Builder b = new Builder();
      b.add("w1", 1, 0, 1_000, false, true, WriteOutcome.UNKNOWN);
      b.accepted("w2", 2, 5_000, 5_200);
      b.faults.add(new FaultEvent(FaultKind.CRASH, 1_000 * MS, 0, "w1", 1L, "SIGKILL"));

      CheckResult result = HistoryChecker.check(b.build(), LIMITS);

      assertThat(result.violations()).isEmpty();
      assertThat(result.recoveryNanos()).containsExactly(4_000 * MS);
    }

    @Test
    void slowRecoveryIsDetected() {
      Builder b = new Builder();
      b.add("w1", 1, 0, 1_000, false, true, WriteOutcome.UNKNOWN);
      b.accepted("w2", 2, 9_000, 9_200); // bound is 4 s + 1 s + 2 s = 7 s
      b.faults.add(new FaultEvent(FaultKind.CRASH, 1_000 * MS, 0, "w1", 1L, "SIGKILL"));

      CheckResult result = HistoryChecker.check(b.build(), LIMITS);

      assertThat(result.violations())
          .singleElement()
          .satisfies(
              v -> {
                assertThat(v.kind()).isEqualTo(Violation.Kind.SLOW_RECOVERY);
                assertThat(v.message()).contains("next holder after 8000 ms (bound 7000 ms)");
              });
    }

    @Test
    void holderThatIsNeverReplacedIsDetected() {
      Builder b = new Builder();
      b.add("w1", 1, 0, 1_000, false, true, WriteOutcome.UNKNOWN);
      b.faults.add(new FaultEvent(FaultKind.FREEZE, 1_000 * MS, 6_000 * MS, "w1", 1L, "SIGSTOP"));
      b.end = 20_000 * MS;

      CheckResult result = HistoryChecker.check(b.build(), LIMITS);

      assertThat(result.violations())
          .extracting(Violation::kind)
          .containsExactly(Violation.Kind.SLOW_RECOVERY);
    }
  }

  @Nested
  class Workers {

    @Test
    void workerThatDiedByItselfFailsTheRun() {
      Builder b = new Builder().accepted("w1", 1, 0, 100);
      b.exits.add("w2.0 exited by itself during the run (status 1)");

      CheckResult result = HistoryChecker.check(b.build(), LIMITS);

      assertThat(result.violations())
          .extracting(Violation::toString)
          .containsExactly("WORKER_FAILED: w2.0 exited by itself during the run (status 1)");
    }
  }

  @Nested
  class RequestBudget {

    @Test
    void workerAboveTheAverageOrBurstBudgetIsReportedAsSpinning() {
      Builder b = new Builder().accepted("w1", 1, 0, 100);
      b.requests.add(new WorkerRequests("w1", 100, 60_000 * MS, 10));
      b.requests.add(new WorkerRequests("w2", 1_200, 60_000 * MS, 10));
      b.requests.add(new WorkerRequests("w3", 100, 60_000 * MS, 71));

      CheckResult result = HistoryChecker.check(b.build(), LIMITS);

      assertThat(result.violations())
          .extracting(Violation::message)
          .containsExactly(
              "w2 sent 20.0 requests/s on average (budget 10.0)",
              "w3 sent 71 requests within 2000 ms (budget 70)");
    }
  }
}
