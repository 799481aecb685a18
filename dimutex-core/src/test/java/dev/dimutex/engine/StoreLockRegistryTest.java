package dev.dimutex.engine;

import static dev.dimutex.testing.InMemoryLockStore.Op.CREATE;
import static dev.dimutex.testing.InMemoryLockStore.Op.DELETE;
import static dev.dimutex.testing.InMemoryLockStore.Op.READ;
import static dev.dimutex.testing.InMemoryLockStore.Op.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dimutex.Lease;
import dev.dimutex.LockConfigurationException;
import dev.dimutex.LockException;
import dev.dimutex.LockLostException;
import dev.dimutex.LockTimeoutException;
import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.LockStore;
import dev.dimutex.spi.ObjectVersion;
import dev.dimutex.spi.StoreException;
import dev.dimutex.spi.StoredLock;
import dev.dimutex.testing.Claim;
import dev.dimutex.testing.DeterministicScheduler;
import dev.dimutex.testing.FakeTime;
import dev.dimutex.testing.InMemoryLockStore;
import dev.dimutex.testing.RecordingListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lock algorithm against an in-memory store, with fake time and a deterministic scheduler: no
 * wall-clock waits. Defaults: TTL 60 s, refresh 10 s, safety margin 6 s.
 */
class StoreLockRegistryTest {

  private static final long S = 1_000_000_000L;

  private final FakeTime time = new FakeTime();
  private final DeterministicScheduler scheduler = new DeterministicScheduler(time);
  private final InMemoryLockStore store = new InMemoryLockStore(time.clock(Duration.ZERO));
  private double randomValue = 0.0;
  private final List<StoreLockRegistry> registries = new ArrayList<>();

  private StoreLockRegistry registry(String owner, Duration clockSkew, RecordingListener... ls) {
    return registry(owner, clockSkew, scheduler, ls);
  }

  private StoreLockRegistry registry(
      String owner, Duration clockSkew, DeterministicScheduler sched, RecordingListener... ls) {
    StoreLockRegistry.Builder b =
        StoreLockRegistry.builder()
            .ownerId(owner)
            .clock(time.clock(clockSkew))
            .timeSource(time)
            .scheduler(sched)
            .random(() -> randomValue)
            .sleeper(nanos -> time.advance(Duration.ofNanos(nanos)));
    for (RecordingListener l : ls) {
      b.listener(l);
    }
    StoreLockRegistry r = b.build(store);
    registries.add(r);
    return r;
  }

  private StoreLockRegistry registry(String owner, RecordingListener... ls) {
    return registry(owner, Duration.ZERO, ls);
  }

  private RecordingListener listener() {
    return new RecordingListener(time::nanoTime);
  }

  private static Lease tryNow(StoreLockRegistry r, String name) {
    return r.obtain(name).tryAcquire().orElseThrow(() -> new AssertionError("not acquired"));
  }

  private LockRecord foreignRecord() {
    return new LockRecord(
        "dead-owner", "elsewhere", "n-1", Duration.ofSeconds(60), Instant.EPOCH, 0);
  }

  @AfterEach
  void closeAll() {
    store.failNext(UPDATE, 0, StoreException.Kind.TRANSIENT, 503);
    for (StoreLockRegistry r : registries) {
      try {
        r.close();
      } catch (RuntimeException ignored) {
        // some tests leave leases lost on purpose
      }
    }
  }

  @Nested
  class RequestCounts {

    @Test
    @Claim("C-REQ-1")
    void uncontendedAcquireIsExactlyOneCreate() {
      StoreLockRegistry r = registry("a");
      tryNow(r, "job");
      assertThat(store.total()).isEqualTo(1);
      assertThat(store.count(CREATE)).isEqualTo(1);
    }

    @Test
    @Claim("C-REQ-3")
    @Claim("C-CMP-3")
    void releaseIsExactlyOneDelete() {
      Lease lease = tryNow(registry("a"), "job");
      store.resetCounts();
      lease.release();
      assertThat(store.total()).isEqualTo(1);
      assertThat(store.count(DELETE)).isEqualTo(1);
      assertThat(store.peek("job")).isEmpty();
    }

    @Test
    @Claim("C-REQ-2")
    @Claim("C-CMP-3")
    void automaticRefreshIsExactlyOneUpdatePerInterval() {
      Lease lease = tryNow(registry("a"), "job");
      store.resetCounts();
      scheduler.advance(Duration.ofSeconds(10));
      assertThat(store.total()).isEqualTo(1);
      assertThat(store.count(UPDATE)).isEqualTo(1);
      scheduler.advance(Duration.ofSeconds(50));
      assertThat(store.count(UPDATE)).isEqualTo(6);
      assertThat(lease.isHealthy()).isTrue();
    }

    @Test
    @Claim("C-REQ-2")
    @Claim("C-CMP-3")
    void manualRefreshIsExactlyOneUpdate() {
      Lease lease = tryNow(registry("a"), "job");
      store.resetCounts();
      lease.refresh();
      assertThat(store.total()).isEqualTo(1);
      assertThat(store.peek("job").orElseThrow().version().metageneration()).isEqualTo(2);
    }

    @Test
    @Claim("C-REQ-8")
    void tryingOnceOnAHeldLockIsOneCreateAndOneRead() {
      tryNow(registry("a"), "job");
      store.resetCounts();
      assertThat(registry("b").obtain("job").tryAcquire()).isEmpty();
      assertThat(store.count(CREATE)).isEqualTo(1);
      assertThat(store.count(READ)).isEqualTo(1);
      assertThat(store.total()).isEqualTo(2);
    }
  }

  @Nested
  class AmbiguousOutcomes {

    @Test
    @Claim("C-AMB-1")
    @Claim("C-CMP-6")
    @Claim("C-GUA-3")
    void createAppliedButResponseLostStillHoldsTheLockAtOnce() {
      store.dropNext(CREATE, 1);
      Lease lease = tryNow(registry("a"), "job");
      assertThat(lease.fencingToken())
          .isEqualTo(store.peek("job").orElseThrow().version().generation());
      assertThat(store.count(CREATE)).isEqualTo(1);
      assertThat(store.count(READ)).isEqualTo(1);
      assertThat(lease.isHealthy()).isTrue();
    }

    @Test
    void aCreateResolvedOnlyOnALaterAttemptIsCountedFromItsFirstSend() {
      long start = time.nanoTime();
      store.dropNext(CREATE, 1);
      store.failNext(READ, 1, StoreException.Kind.TRANSIENT, 503);
      CompletableFuture<Lease> f = registry("a").obtain("job").acquireAsync(Duration.ofMinutes(1));
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(f).isDone();
      Lease lease = f.join();
      assertThat(store.count(CREATE)).isEqualTo(2);
      store.failNext(UPDATE, 10_000, StoreException.Kind.TRANSIENT, 503);
      scheduler.advance(Duration.ofNanos(start + 54 * S - 1 - time.nanoTime()));
      assertThat(lease.isHealthy()).isTrue();
      scheduler.advance(Duration.ofNanos(1));
      assertThat(lease.isHealthy()).isFalse();
    }

    @Test
    @Claim("C-AMB-2")
    @Claim("C-CMP-6")
    @Claim("C-GUA-3")
    void refreshAppliedButResponseLostKeepsTheLeaseHealthy() {
      RecordingListener l = listener();
      Lease lease = tryNow(registry("a", l), "job");
      store.dropNext(UPDATE, 1);
      scheduler.advance(Duration.ofSeconds(10));
      assertThat(lease.isHealthy()).isTrue();
      assertThat(store.count(READ)).isEqualTo(1);
      scheduler.advance(Duration.ofSeconds(10));
      assertThat(store.peek("job").orElseThrow().version().metageneration()).isEqualTo(3);
      assertThat(l.of("lost")).isEmpty();
    }

    @Test
    @Claim("C-AMB-3")
    @Claim("C-CMP-6")
    @Claim("C-GUA-3")
    void deleteAppliedButResponseLostCountsAsReleased() {
      RecordingListener l = listener();
      Lease lease = tryNow(registry("a", l), "job");
      store.dropNext(DELETE, 1);
      lease.release();
      assertThat(store.peek("job")).isEmpty();
      assertThat(l.of("released")).hasSize(1);
      assertThat(l.of("lost")).isEmpty();
    }

    @Test
    void aRefreshWhoseOutcomeStayedUnknownDoesNotMakeTheReleaseReportALoss() {
      RecordingListener l = listener();
      Lease lease = tryNow(registry("a", l), "job");
      store.dropNext(UPDATE, 1);
      store.failNext(READ, 1, StoreException.Kind.TRANSIENT, 503);
      scheduler.advance(Duration.ofSeconds(10));
      assertThat(l.of("refreshFailed")).hasSize(1);
      store.resetCounts();
      lease.release();
      assertThat(store.peek("job")).isEmpty();
      assertThat(store.count(DELETE)).isEqualTo(2);
      assertThat(store.count(READ)).isEqualTo(1);
      assertThat(l.of("lost")).isEmpty();
    }

    @Test
    @Claim("C-AMB-2")
    @Claim("C-CMP-6")
    @Claim("C-GUA-3")
    void aRefreshConfirmedOnlyByReadingBackCountsFromTheEarliestUnresolvedSend() {
      long start = time.nanoTime();
      Lease lease = tryNow(registry("a"), "job");
      store.dropNext(UPDATE, 1);
      store.failNext(READ, 1, StoreException.Kind.TRANSIENT, 503);
      scheduler.advance(Duration.ofSeconds(10)); // applied at 10 s, outcome unknown
      store.failNext(UPDATE, 1, StoreException.Kind.TRANSIENT, 503);
      // the retry's read-back finds metageneration 2 with our nonce: confirmed from the 10 s send
      scheduler.advance(Duration.ofSeconds(1));
      store.failNext(UPDATE, 10_000, StoreException.Kind.TRANSIENT, 503);
      scheduler.advance(Duration.ofNanos(10 * S + 54 * S - 1 - (time.nanoTime() - start)));
      assertThat(lease.isHealthy()).isTrue();
      scheduler.advance(Duration.ofNanos(1));
      assertThat(lease.isHealthy()).isFalse();
    }

    @Test
    void aStaleTakeoverAppliedButResponseLostIsHealthyAndCountedFromTheTakeover() {
      store.putForeign("job", foreignRecord());
      CompletableFuture<Lease> f = registry("b").obtain("job").acquireAsync(Duration.ofMinutes(5));
      scheduler.advance(Duration.ofMillis(59_999));
      assertThat(f).isNotDone();
      store.dropNext(CREATE, 1);
      long takeoverSend = time.nanoTime() + 1_000_000;
      scheduler.advance(Duration.ofMillis(1));
      assertThat(f).isDone();
      Lease lease = f.join();
      assertThat(lease.fencingToken())
          .isEqualTo(store.peek("job").orElseThrow().version().generation());
      assertThat(lease.isHealthy()).isTrue();
      store.failNext(UPDATE, 10_000, StoreException.Kind.TRANSIENT, 503);
      scheduler.advance(Duration.ofNanos(takeoverSend + 54 * S - 1 - time.nanoTime()));
      assertThat(lease.isHealthy()).isTrue();
      scheduler.advance(Duration.ofNanos(1));
      assertThat(lease.isHealthy()).isFalse();
    }

    @Test
    void deleteThatFoundNothingOnItsFirstAttemptReportsTheLostLease() {
      Lease lease = tryNow(registry("a"), "job");
      store.deleteBehindTheBack("job");
      assertThatThrownBy(lease::release)
          .isInstanceOf(LockLostException.class)
          .hasMessageContaining("lock 'job'")
          .hasMessageContaining("may have been touched by another holder");
    }
  }

  @Nested
  class Refresh {

    @Test
    void runsAfterExactlyTheIntervalWhenTheRandomValueIsZero() {
      tryNow(registry("a"), "job");
      store.resetCounts();
      scheduler.advance(Duration.ofMillis(9_999));
      assertThat(store.count(UPDATE)).isZero();
      scheduler.advance(Duration.ofMillis(1));
      assertThat(store.count(UPDATE)).isEqualTo(1);
    }

    @Test
    @Claim("C-THR-3")
    void theFirstRefreshIsJitteredOverMostOfTheIntervalSoABurstOfAcquisitionsIsSpreadOut() {
      randomValue = 0.5; // 10 s - 0.9 * 0.5 * 10 s
      tryNow(registry("a"), "job");
      store.resetCounts();
      scheduler.advance(Duration.ofMillis(5_499));
      assertThat(store.count(UPDATE)).isZero();
      scheduler.advance(Duration.ofMillis(1));
      assertThat(store.count(UPDATE)).isEqualTo(1);
    }

    @Test
    @Claim("C-THR-3")
    void jitterMovesLaterRefreshesEarlierByAtMostAQuarterOfTheInterval() {
      randomValue = 0.999;
      tryNow(registry("a"), "job");
      scheduler.advance(Duration.ofMillis(1_010)); // the first refresh, jittered to 1.009 s
      store.resetCounts();
      scheduler.advance(Duration.ofMillis(7_500));
      assertThat(store.count(UPDATE)).isZero();
      scheduler.advance(Duration.ofMillis(10));
      assertThat(store.count(UPDATE)).isEqualTo(1);
    }

    @Test
    @Claim("C-THR-1")
    void manyLeasesShareTheSchedulerWithOnePendingTaskEach() {
      StoreLockRegistry r = registry("a");
      for (int i = 0; i < 100; i++) {
        tryNow(r, "job-" + i);
      }
      assertThat(scheduler.pendingTasks()).isEqualTo(100);
      store.resetCounts();
      scheduler.advance(Duration.ofSeconds(10));
      assertThat(store.count(UPDATE)).isEqualTo(100);
      assertThat(scheduler.pendingTasks()).isEqualTo(100);
    }

    @Test
    @Claim("C-ERR-1")
    void transientFailuresAreRetriedAndALeaseThatRecoversInTimeStaysHealthy() {
      RecordingListener l = listener();
      Lease lease = tryNow(registry("a", l), "job");
      store.failNext(UPDATE, 5, StoreException.Kind.TRANSIENT, 503);
      scheduler.advance(Duration.ofSeconds(20));
      assertThat(l.of("refreshFailed")).hasSize(5);
      assertThat(l.of("lost")).isEmpty();
      assertThat(lease.isHealthy()).isTrue();
      assertThat(store.peek("job").orElseThrow().version().metageneration()).isGreaterThan(1);
    }

    @Test
    @Claim("C-REL-2")
    @Claim("C-LOST-1")
    @Claim("C-GUA-1")
    @Claim("C-GUA-6")
    void leaseTurnsUnhealthyAtTtlMinusMarginAndTellsListenersOnce() {
      RecordingListener l = listener();
      long start = time.nanoTime();
      Lease lease = tryNow(registry("a", l), "job");
      store.failNext(UPDATE, 10_000, StoreException.Kind.TRANSIENT, 503);
      scheduler.advance(Duration.ofMillis(53_999));
      assertThat(lease.isHealthy()).isTrue();
      scheduler.advance(Duration.ofMillis(1));
      assertThat(lease.isHealthy()).isFalse();
      assertThat(lease.isHealthy()).isFalse();
      scheduler.advance(Duration.ofSeconds(30));
      assertThat(l.of("lost")).hasSize(1);
      assertThat(l.of("lost").get(0).atNanos() - start).isEqualTo(54 * S);
      assertThatThrownBy(lease::checkHealthy)
          .isInstanceOf(LockLostException.class)
          .hasMessageContaining("expired")
          .hasMessageContaining("may have been touched by another holder");
    }

    @Test
    void aFailingRefreshDoesNotRetryInATightLoopAsTheLeaseRunsOut() {
      Lease lease = tryNow(registry("a"), "job");
      store.failNext(UPDATE, 10_000, StoreException.Kind.TRANSIENT, 503);
      scheduler.advance(Duration.ofSeconds(53));
      long before = store.count(UPDATE);
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(lease.isHealthy()).isFalse();
      // retries stay at least the backoff minimum (50 ms) apart until the deadline at 54 s:
      // at 53.55, 53.775, 53.8875, 53.94375 and 53.99375 s
      assertThat(store.count(UPDATE) - before).isLessThanOrEqualTo(5);
    }

    @Test
    @Claim("C-LOST-1")
    @Claim("C-GUA-6")
    void externalDeletionIsDetectedAtTheNextRefresh() {
      RecordingListener l = listener();
      Lease lease = tryNow(registry("a", l), "job");
      store.deleteBehindTheBack("job");
      scheduler.advance(Duration.ofSeconds(10));
      assertThat(lease.isHealthy()).isFalse();
      assertThat(l.of("lost")).hasSize(1);
      assertThat(l.of("lost").get(0).detail()).contains("deleted");
      assertThatThrownBy(lease::refresh).isInstanceOf(LockLostException.class);
    }

    @Test
    void aRefreshThatCannotBeConfirmedAfterExpiryIsNotAttempted() {
      Lease lease = tryNow(registry("a"), "job");
      store.failNext(UPDATE, 10_000, StoreException.Kind.TRANSIENT, 503);
      scheduler.advance(Duration.ofSeconds(60));
      long updates = store.count(UPDATE);
      assertThatThrownBy(lease::refresh).isInstanceOf(LockLostException.class);
      assertThat(store.count(UPDATE)).isEqualTo(updates);
    }
  }

  @Nested
  class StaleTakeover {

    /** The "10 days" of skew that SEMANTICS.md promises to tolerate. */
    static final int TEN_DAYS_IN_MINUTES = 10 * 24 * 60;

    @ParameterizedTest(name = "waiter clock skew {0} minutes")
    @ValueSource(ints = {0, 10, -10, TEN_DAYS_IN_MINUTES, -TEN_DAYS_IN_MINUTES})
    @Claim("C-REL-3")
    @Claim("C-REL-6")
    @Claim("C-REL-8")
    @Claim("C-GUA-1")
    @Claim("C-GUA-4")
    void happensOnlyAfterTheObjectStayedUnchangedForTheHoldersWholeTtl(int skewMinutes) {
      StoredLock dead = store.putForeign("job", foreignRecord());
      RecordingListener l = listener();
      StoreLockRegistry r = registry("b", Duration.ofMinutes(skewMinutes), l);
      long start = time.nanoTime();
      CompletableFuture<Lease> f = r.obtain("job").acquireAsync(Duration.ofMinutes(5));
      scheduler.advance(Duration.ofMillis(59_999));
      assertThat(f).isNotDone();
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(f).isDone();
      Lease lease = f.join();
      assertThat(lease.fencingToken()).isNotEqualTo(dead.version().generation());
      long acquiredAfter = l.of("acquired").get(0).atNanos() - start;
      assertThat(acquiredAfter).isBetween(60 * S, 61 * S);
      assertThat(l.of("takeover"))
          .singleElement()
          .extracting(RecordingListener.Event::detail)
          .isEqualTo(Long.toString(dead.version().generation()));
    }

    @Test
    @Claim("C-REQ-6")
    void costsOneReadAndOneConditionalCreateOnceTheHolderIsFoundStale() {
      store.putForeign("job", foreignRecord());
      StoreLockRegistry r = registry("b");
      CompletableFuture<Lease> f = r.obtain("job").acquireAsync(Duration.ofMinutes(5));
      // the waiter schedules a poll for the very moment the holder turns stale
      scheduler.advance(Duration.ofMillis(59_999));
      assertThat(f).isNotDone();
      store.resetCounts();
      scheduler.advance(Duration.ofMillis(1));
      assertThat(f).isDone();
      assertThat(store.count(READ)).isEqualTo(1);
      assertThat(store.count(CREATE)).isEqualTo(1);
    }

    @ParameterizedTest(name = "clock skew {0} minutes")
    @ValueSource(ints = {10, -10, TEN_DAYS_IN_MINUTES, -TEN_DAYS_IN_MINUTES})
    @Claim("C-REL-3")
    @Claim("C-REL-6")
    @Claim("C-GUA-1")
    @Claim("C-GUA-5")
    void aLiveHolderIsNeverTakenOverWhateverTheWaitersClockSays(int skewMinutes) {
      Lease held = tryNow(registry("a"), "job");
      StoreLockRegistry waiter = registry("b", Duration.ofMinutes(skewMinutes));
      CompletableFuture<Lease> f = waiter.obtain("job").acquireAsync(Duration.ofMinutes(10));
      scheduler.advance(Duration.ofMinutes(10));
      assertThat(held.isHealthy()).isTrue();
      assertThat(f).isCompletedExceptionally();
      assertThatThrownBy(f::get).hasCauseInstanceOf(LockTimeoutException.class);
    }

    @Test
    @Claim("C-REL-2")
    @Claim("C-GUA-1")
    void aHolderWhoseRefreshesFailTurnsUnhealthyBeforeAnyoneCanTakeOver() {
      RecordingListener hl = listener();
      RecordingListener wl = listener();
      Lease held = tryNow(registry("a", hl), "job");
      store.failNext(UPDATE, 10_000, StoreException.Kind.TRANSIENT, 503);
      CompletableFuture<Lease> f =
          registry("b", wl).obtain("job").acquireAsync(Duration.ofMinutes(5));
      scheduler.advance(Duration.ofMinutes(2));
      assertThat(f).isDone();
      long lostAt = hl.of("lost").get(0).atNanos();
      long takenAt = wl.of("acquired").get(0).atNanos();
      assertThat(takenAt - lostAt).isGreaterThanOrEqualTo(6 * S);
      assertThat(held.isHealthy()).isFalse();
    }

    @Test
    @Claim("C-REL-4")
    @Claim("C-GUA-4")
    void periodicOneShotTriesRecoverADeadLockThroughTheStoresTimestamps() {
      store.putForeign("job", foreignRecord());
      StoreLockRegistry r = registry("b");
      long start = time.nanoTime();
      Lease lease = null;
      while (lease == null && time.nanoTime() - start < 120 * S) {
        lease = r.obtain("job").tryAcquire().orElse(null);
        if (lease == null) {
          scheduler.advance(Duration.ofSeconds(5));
        }
      }
      // each try starts afresh (no local observation survives between tries), so the takeover
      // rests on the store's own 'updated' timestamp carried forward on the monotonic clock
      // the bound is carried forward at the slowest rate the 10 % rate assumption allows
      assertThat(lease).isNotNull();
      assertThat(time.nanoTime() - start).isBetween(66 * S, 71 * S);
    }

    @Test
    @Claim("C-REL-4")
    void periodicOneShotTriesRecoverADeadLockWithAnEightMinuteTtl() {
      store.putForeign(
          "job",
          new LockRecord(
              "dead-owner", "elsewhere", "n-1", Duration.ofMinutes(8), Instant.EPOCH, 0));
      StoreLockRegistry r =
          StoreLockRegistry.builder()
              .ownerId("b")
              .ttl(Duration.ofMinutes(8))
              .clock(time.clock(Duration.ZERO))
              .timeSource(time)
              .scheduler(scheduler)
              .random(() -> randomValue)
              .sleeper(nanos -> time.advance(Duration.ofNanos(nanos)))
              .build(store);
      registries.add(r);
      long start = time.nanoTime();
      Lease lease = null;
      while (lease == null && time.nanoTime() - start < 30 * 60 * S) {
        lease = r.obtain("job").tryAcquire().orElse(null);
        if (lease == null) {
          scheduler.advance(Duration.ofSeconds(5));
        }
      }
      assertThat(lease).isNotNull();
    }

    @Test
    @Claim("C-REQ-7")
    @Claim("C-REL-4")
    @Claim("C-GUA-4")
    void aRegistryThatKnowsTheStoresTimeTakesOverAnExpiredLockAtOnceInThreeRequests() {
      store.putForeign("job", foreignRecord());
      time.advance(Duration.ofSeconds(61));
      StoreLockRegistry r = registry("b");
      tryNow(r, "other"); // its response carries the store's current time
      store.resetCounts();
      Lease lease = tryNow(r, "job");
      assertThat(lease.isHealthy()).isTrue();
      assertThat(store.count(CREATE)).isEqualTo(2);
      assertThat(store.count(READ)).isEqualTo(1);
    }

    @Test
    @Claim("C-REL-4")
    @Claim("C-GUA-4")
    void aRegistryWithoutAnyServerTimeWaitsTheTtlPlusTheRateMarginFromItsFirstRead() {
      store.putForeign("job", foreignRecord());
      time.advance(Duration.ofSeconds(61));
      StoreLockRegistry r = registry("b");
      assertThat(r.obtain("job").tryAcquire()).isEmpty();
      scheduler.advance(Duration.ofMillis(65_999));
      assertThat(r.obtain("job").tryAcquire()).isEmpty();
      scheduler.advance(Duration.ofMillis(1));
      assertThat(r.obtain("job").tryAcquire()).isPresent();
    }

    @Test
    void aTakeoverRefusedByRateLimitsIsRetriedWithBackoffNotInATightLoop() {
      store.putForeign("job", foreignRecord());
      CompletableFuture<Lease> f = registry("b").obtain("job").acquireAsync(Duration.ofMinutes(5));
      scheduler.advance(Duration.ofMillis(59_999));
      assertThat(f).isNotDone();
      store.failNext(CREATE, 50, StoreException.Kind.TRANSIENT, 429);
      store.resetCounts();
      scheduler.advance(Duration.ofSeconds(1));
      // one takeover write when the holder turns stale, the next only after the backoff (1 s cap)
      assertThat(store.count(CREATE)).isLessThanOrEqualTo(2);
    }

    @Test
    void aWaiterThatFoundTheHolderStaleDoesNotSpinWhileReadsFail() {
      store.putForeign("job", foreignRecord());
      CompletableFuture<Lease> f = registry("b").obtain("job").acquireAsync(Duration.ofMinutes(5));
      scheduler.advance(Duration.ofMillis(59_999));
      assertThat(f).isNotDone();
      store.failNext(READ, 50, StoreException.Kind.TRANSIENT, 503);
      store.resetCounts();
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(store.count(READ)).isLessThanOrEqualTo(2);
    }

    @Test
    void twoRacingTakersProduceExactlyOneWinner() {
      store.putForeign("job", foreignRecord());
      CompletableFuture<Lease> f1 = registry("b").obtain("job").acquireAsync(Duration.ofMinutes(5));
      CompletableFuture<Lease> f2 = registry("c").obtain("job").acquireAsync(Duration.ofMinutes(5));
      scheduler.advance(Duration.ofSeconds(70));
      assertThat(List.of(f1, f2)).filteredOn(CompletableFuture::isDone).hasSize(1);
    }
  }

  @Nested
  class Aba {

    @Test
    @Claim("C-ABA-1")
    @Claim("C-CMP-3")
    @Claim("C-GUA-7")
    void aFrozenHoldersRefreshAndReleaseFailAndLeaveTheSuccessorIntact() {
      DeterministicScheduler frozen = new DeterministicScheduler(time);
      RecordingListener fl = listener();
      Lease stale = tryNow(registry("frozen", Duration.ZERO, frozen, fl), "job");
      CompletableFuture<Lease> f = registry("b").obtain("job").acquireAsync(Duration.ofMinutes(5));
      scheduler.advance(Duration.ofSeconds(62));
      Lease successor = f.join();
      StoredLock successorObject = store.peek("job").orElseThrow();

      assertThat(stale.isHealthy()).isFalse();
      assertThat(successor.fencingToken()).isNotEqualTo(stale.fencingToken());
      assertThatThrownBy(stale::refresh).isInstanceOf(LockLostException.class);
      assertThatThrownBy(stale::release)
          .isInstanceOf(LockLostException.class)
          .hasMessageContaining("may have been touched by another holder");
      assertThat(store.peek("job")).contains(successorObject);
      assertThat(successor.isHealthy()).isTrue();
      assertThat(fl.of("lost")).hasSize(1);
    }

    @Test
    @Claim("C-ABA-1")
    void aStaleReleaseAfterRecreationWithTheSameMetagenerationDoesNotDeleteIt() {
      StoreLockRegistry a = registry("a");
      Lease first = tryNow(a, "job");
      store.deleteBehindTheBack("job");
      Lease second = tryNow(registry("b"), "job");
      assertThat(store.peek("job").orElseThrow().version().metageneration()).isEqualTo(1);
      assertThatThrownBy(first::release).isInstanceOf(LockLostException.class);
      assertThat(store.peek("job").orElseThrow().version().generation())
          .isEqualTo(second.fencingToken());
    }
  }

  @Nested
  class LocalCoalescing {

    private long readsWhileWaiting(int waiters) {
      tryNow(registry("holder-" + waiters), "job-" + waiters);
      StoreLockRegistry r = registry("waiters-" + waiters);
      store.resetCounts();
      for (int i = 0; i < waiters; i++) {
        r.obtain("job-" + waiters).acquireAsync(Duration.ofSeconds(30));
      }
      scheduler.advance(Duration.ofSeconds(30));
      return store.count(READ) + store.count(CREATE);
    }

    @Test
    @Claim("C-REQ-11")
    @Claim("C-GUA-9")
    void manyLocalWaitersCostNoMoreRequestsThanOne() {
      long one = readsWhileWaiting(1);
      long many = readsWhileWaiting(64);
      assertThat(many).isLessThanOrEqualTo(one + 1);
      assertThat(one).isLessThanOrEqualTo(2 * 30 + 10);
    }

    @Test
    @Claim("C-REQ-11")
    @Claim("C-GUA-9")
    void aLocalWaiterMakesNoRemoteCallWhileTheLockIsHeldLocally() {
      StoreLockRegistry r = registry("a");
      tryNow(r, "job");
      store.resetCounts();
      CompletableFuture<Lease> f = r.obtain("job").acquireAsync(Duration.ofSeconds(5));
      scheduler.runDue();
      assertThat(store.total()).isZero();
      assertThat(f).isNotDone();
      assertThat(r.obtain("job").tryAcquire()).isEmpty();
      assertThat(store.total()).isZero();
    }

    @Test
    @Claim("C-AMB-4")
    void aHandOverWhoseOutcomeStaysUnknownIsCleanedUpAndTheWaiterStillGetsTheLock() {
      RecordingListener l = listener();
      StoreLockRegistry r = registry("a", l);
      Lease first = tryNow(r, "job");
      CompletableFuture<Lease> f = r.obtain("job").acquireAsync(Duration.ofSeconds(30));
      store.dropNext(CREATE, 1);
      store.failNext(READ, 3, StoreException.Kind.TRANSIENT, 503);
      first.release();
      assertThat(l.of("lost")).isEmpty();
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(f).isDone();
      assertThat(f.join().isHealthy()).isTrue();
      assertThat(store.peek("job").orElseThrow().version().generation())
          .isEqualTo(f.join().fencingToken());
    }

    @Test
    void anInterruptedReleaseWhoseHandOverStayedUnknownStillPassesTheLockToTheWaiter() {
      StoreLockRegistry r =
          StoreLockRegistry.builder()
              .ownerId("a")
              .clock(time.clock(Duration.ZERO))
              .timeSource(time)
              .scheduler(scheduler)
              .random(() -> randomValue)
              .sleeper(
                  nanos -> {
                    throw new InterruptedException("the releasing thread was interrupted");
                  })
              .build(store);
      registries.add(r);
      Lease first = tryNow(r, "job");
      CompletableFuture<Lease> f = r.obtain("job").acquireAsync(Duration.ofSeconds(30));
      store.dropNext(CREATE, 1); // the hand-over applies, its response is lost
      store.failNext(READ, 1, StoreException.Kind.TRANSIENT, 503); // and the read-back fails
      try {
        first.release();
      } catch (LockException ex) {
        // whether the interrupted release reports itself is not the point here
      } finally {
        Thread.interrupted();
      }
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(f).isDone();
      assertThat(f.join().isHealthy()).isTrue();
      assertThat(store.peek("job").orElseThrow().version().generation())
          .isEqualTo(f.join().fencingToken());
    }

    /** The in-memory store, except that the next call of {@code explodeOn} fails unexpectedly. */
    private LockStore unexpectedlyFailing(
        java.util.concurrent.atomic.AtomicReference<InMemoryLockStore.Op> explodeOn) {
      return new LockStore() {
        private void maybeExplode(InMemoryLockStore.Op op) {
          if (explodeOn.compareAndSet(op, null)) {
            throw new IllegalStateException("the HTTP client's connection pool is shut down");
          }
        }

        @Override
        public String describe() {
          return store.describe();
        }

        @Override
        public void validateName(String name) {
          store.validateName(name);
        }

        @Override
        public java.util.Optional<StoredLock> create(
            String name, LockRecord record, @org.jspecify.annotations.Nullable ObjectVersion r) {
          maybeExplode(CREATE);
          return store.create(name, record, r);
        }

        @Override
        public java.util.Optional<StoredLock> read(String name) {
          return store.read(name);
        }

        @Override
        public java.util.Optional<StoredLock> update(
            String name, ObjectVersion expected, LockRecord record) {
          return store.update(name, expected, record);
        }

        @Override
        public DeleteOutcome delete(String name, ObjectVersion expected) {
          maybeExplode(DELETE);
          return store.delete(name, expected);
        }

        @Override
        public DeleteOutcome deleteGeneration(String name, long generation) {
          return store.deleteGeneration(name, generation);
        }

        @Override
        public List<StoredLock> list() {
          return store.list();
        }

        @Override
        public void verifyAccess() {}
      };
    }

    @ParameterizedTest(name = "failing {0}")
    @org.junit.jupiter.params.provider.EnumSource(
        value = InMemoryLockStore.Op.class,
        names = {"CREATE", "DELETE"})
    void anUnexpectedClientFailureWhileReleasingStillLetsTheLocalWaiterHaveTheLock(
        InMemoryLockStore.Op failing) {
      java.util.concurrent.atomic.AtomicReference<InMemoryLockStore.Op> explodeOn =
          new java.util.concurrent.atomic.AtomicReference<>();
      StoreLockRegistry r =
          StoreLockRegistry.builder()
              .ownerId("a")
              .clock(time.clock(Duration.ZERO))
              .timeSource(time)
              .scheduler(scheduler)
              .random(() -> randomValue)
              .sleeper(nanos -> time.advance(Duration.ofNanos(nanos)))
              .build(unexpectedlyFailing(explodeOn));
      registries.add(r);
      Lease first = tryNow(r, "job");
      CompletableFuture<Lease> f = r.obtain("job").acquireAsync(Duration.ofMinutes(5));
      if (failing == DELETE) {
        store.failNext(CREATE, 1, StoreException.Kind.FATAL, 400); // no hand-over: delete path
      }
      explodeOn.set(failing);
      try {
        first.release();
      } catch (RuntimeException ex) {
        // whether the release reports the failure is not the point here
      }
      // at worst the object expires after its TTL; the local waiter must not hang behind it
      scheduler.advance(Duration.ofSeconds(62));
      assertThat(f).isDone();
      assertThat(f.join().isHealthy()).isTrue();
    }

    @Test
    @Claim("C-REQ-4")
    @Claim("C-HAND-1")
    @Claim("C-FEN-1")
    @Claim("C-CMP-4")
    @Claim("C-GUA-2")
    void localReleaseHandsTheLockToTheNextWaiterWithOneConditionalWrite() {
      StoreLockRegistry r = registry("a");
      Lease first = tryNow(r, "job");
      CompletableFuture<Lease> f = r.obtain("job").acquireAsync(Duration.ofSeconds(5));
      store.resetCounts();
      first.release();
      assertThat(f).isDone();
      Lease second = f.join();
      assertThat(store.total()).isEqualTo(1);
      assertThat(store.count(CREATE)).isEqualTo(1);
      assertThat(second.fencingToken()).isNotEqualTo(first.fencingToken());
      assertThat(store.peek("job").orElseThrow().version().generation())
          .isEqualTo(second.fencingToken());
      assertThat(first.isHealthy()).isFalse();
      assertThat(second.isHealthy()).isTrue();
    }
  }

  @Nested
  class Asynchronous {

    @Test
    void acquireAsyncReturnsBeforeAnyRemoteCall() {
      StoreLockRegistry r = registry("a");
      CompletableFuture<Lease> f = r.obtain("job").acquireAsync(Duration.ofSeconds(5));
      assertThat(f).isNotDone();
      assertThat(store.total()).isZero();
      scheduler.runDue();
      assertThat(f).isDone();
      assertThat(store.total()).isEqualTo(1);
    }

    @Test
    void aLeaseHandedToADependentActionIsAlreadyRefreshedAutomatically() {
      StoreLockRegistry r = registry("a");
      Lease first = tryNow(r, "job");
      CompletableFuture<Lease> f = r.obtain("job").acquireAsync(Duration.ofMinutes(1));
      List<Boolean> healthyAfterWork = new ArrayList<>();
      f.thenAccept(
          lease -> {
            // the caller's work runs inside the completion; the lease must be kept alive meanwhile
            scheduler.advance(Duration.ofSeconds(70));
            healthyAfterWork.add(lease.isHealthy());
          });
      first.release(); // local hand-over: completes f on this thread
      assertThat(healthyAfterWork).containsExactly(true);
    }

    @Test
    void timesOutWithLockTimeoutExceptionAndStopsPolling() {
      tryNow(registry("a"), "job");
      CompletableFuture<Lease> f = registry("b").obtain("job").acquireAsync(Duration.ofSeconds(2));
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(f).isCompletedExceptionally();
      assertThatThrownBy(f::get)
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(LockTimeoutException.class);
      long requests = store.total();
      scheduler.advance(Duration.ofSeconds(30));
      assertThat(store.total() - requests).isLessThanOrEqualTo(3 + 1);
    }

    @Test
    void aZeroWaitMakesOneAttemptAndThenTimesOut() {
      tryNow(registry("a"), "job");
      store.resetCounts();
      CompletableFuture<Lease> f = registry("b").obtain("job").acquireAsync(Duration.ZERO);
      scheduler.runDue();
      assertThatThrownBy(f::get).hasCauseInstanceOf(LockTimeoutException.class);
      assertThat(store.total()).isEqualTo(2);
    }

    @Test
    void aZeroWaitOnALockHeldInThisRegistryFailsAtOnceWithoutARemoteCall() {
      StoreLockRegistry r = registry("a");
      tryNow(r, "job");
      store.resetCounts();
      CompletableFuture<Lease> f = r.obtain("job").acquireAsync(Duration.ZERO);
      assertThat(f).isCompletedExceptionally();
      assertThat(store.total()).isZero();
    }

    @Test
    @Claim("C-CB-3")
    void cancellingStopsTheAttempts() {
      tryNow(registry("a"), "job");
      CompletableFuture<Lease> f = registry("b").obtain("job").acquireAsync(Duration.ofSeconds(60));
      scheduler.advance(Duration.ofSeconds(2));
      f.cancel(false);
      long reads = store.count(READ);
      scheduler.advance(Duration.ofSeconds(30));
      assertThat(store.count(READ) - reads).isLessThanOrEqualTo(1);
    }
  }

  @Nested
  class Errors {

    @Test
    @Claim("C-ERR-4")
    void configurationErrorsAreThrownAtOnceAndNeverRetried() {
      store.failNext(CREATE, 1, StoreException.Kind.CONFIGURATION, 403);
      assertThatThrownBy(() -> registry("a").obtain("job").tryAcquire())
          .isInstanceOf(LockConfigurationException.class)
          .hasMessageContaining("lock 'job'");
      assertThat(store.total()).isEqualTo(1);
    }

    @Test
    @Claim("C-ERR-4")
    void configurationErrorsEndAWaitInsteadOfLookingBusy() {
      store.failNext(CREATE, 1, StoreException.Kind.CONFIGURATION, 403);
      CompletableFuture<Lease> f = registry("a").obtain("job").acquireAsync(Duration.ofMinutes(1));
      scheduler.runDue();
      assertThatThrownBy(f::get).hasCauseInstanceOf(LockConfigurationException.class);
      assertThat(store.total()).isEqualTo(1);
    }

    @Test
    @Claim("C-ERR-1")
    void oneShotAttemptsRetryTransientFailuresAFewTimes() {
      store.failNext(CREATE, 3, StoreException.Kind.TRANSIENT, 503);
      Lease lease = tryNow(registry("a"), "job");
      assertThat(lease.isHealthy()).isTrue();
      assertThat(store.count(CREATE)).isEqualTo(4);
    }

    @Test
    void oneShotAttemptsGiveUpWhenTheStoreStaysUnavailable() {
      store.failNext(CREATE, 4, StoreException.Kind.TRANSIENT, 429);
      assertThatThrownBy(() -> registry("a").obtain("job").tryAcquire())
          .isInstanceOf(LockException.class)
          .hasMessageContaining("stayed unavailable through 4 attempts");
    }

    @Test
    @Claim("C-ERR-1")
    void waitersTreatTransientFailuresAsBusyAndKeepTrying() {
      store.failNext(CREATE, 5, StoreException.Kind.TRANSIENT, 503);
      CompletableFuture<Lease> f = registry("a").obtain("job").acquireAsync(Duration.ofMinutes(1));
      scheduler.advance(Duration.ofSeconds(5));
      assertThat(f).isDone();
      assertThat(f.join().isHealthy()).isTrue();
    }
  }

  @Nested
  class Lifecycle {

    @Test
    @Claim("C-API-5")
    void releaseTwiceIsANoOpTheSecondTime() {
      Lease lease = tryNow(registry("a"), "job");
      lease.release();
      store.resetCounts();
      lease.release();
      lease.close();
      assertThat(store.total()).isZero();
    }

    @Test
    @Claim("C-API-6")
    void closingTheRegistryReleasesWhatItHolds() {
      StoreLockRegistry r = registry("a");
      tryNow(r, "x");
      tryNow(r, "y");
      assertThat(r.heldLeases()).extracting(dev.dimutex.LeaseInfo::name).containsExactly("x", "y");
      r.close();
      assertThat(store.peek("x")).isEmpty();
      assertThat(store.peek("y")).isEmpty();
      assertThatThrownBy(() -> r.obtain("z")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Claim("C-LOST-3")
    void anExpiredLeaseWhoseObjectWasNeverTouchedIsReleasedCleanly() {
      DeterministicScheduler frozen = new DeterministicScheduler(time);
      Lease lease = tryNow(registry("a", Duration.ZERO, frozen), "job");
      time.advance(Duration.ofSeconds(70));
      assertThat(lease.isHealthy()).isFalse();
      lease.release();
      assertThat(store.peek("job")).isEmpty();
    }

    @Test
    void lockObjectsListsEveryHolder() {
      tryNow(registry("a"), "x");
      store.putForeign("y", foreignRecord());
      assertThat(registry("c").lockObjects())
          .extracting(dev.dimutex.LockObjectInfo::name, dev.dimutex.LockObjectInfo::ownerId)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("x", "a"),
              org.assertj.core.groups.Tuple.tuple("y", "dead-owner"));
    }
  }
}
