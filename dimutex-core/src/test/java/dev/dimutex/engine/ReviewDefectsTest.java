package dev.dimutex.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.dimutex.Lease;
import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.LockStore;
import dev.dimutex.spi.TimeSource;
import dev.dimutex.testing.DeterministicScheduler;
import dev.dimutex.testing.FakeTime;
import dev.dimutex.testing.InMemoryLockStore;
import dev.dimutex.testing.RecordingListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One focused regression test per defect found in the review of issue 10, with fake time and a
 * deterministic scheduler. Each failed on the code before its fix (the commit says how).
 */
class ReviewDefectsTest {

  private final FakeTime time = new FakeTime();
  private final DeterministicScheduler scheduler = new DeterministicScheduler(time);
  private final InMemoryLockStore store = new InMemoryLockStore(time.clock(Duration.ZERO));
  private final List<StoreLockRegistry> registries = new ArrayList<>();

  private StoreLockRegistry.Builder builder(String owner, RecordingListener... listeners) {
    StoreLockRegistry.Builder b =
        StoreLockRegistry.builder()
            .ownerId(owner)
            .clock(time.clock(Duration.ZERO))
            .timeSource(time)
            .scheduler(scheduler)
            .random(() -> 0.0)
            .sleeper(nanos -> time.advance(Duration.ofNanos(nanos)));
    for (RecordingListener l : listeners) {
      b.listener(l);
    }
    return b;
  }

  private StoreLockRegistry build(StoreLockRegistry.Builder b, LockStore s) {
    StoreLockRegistry r = b.build(s);
    registries.add(r);
    return r;
  }

  private StoreLockRegistry registry(String owner, RecordingListener... listeners) {
    return build(builder(owner, listeners), store);
  }

  private static Lease tryNow(StoreLockRegistry r, String name) {
    return r.obtain(name).tryAcquire().orElseThrow(() -> new AssertionError("not acquired"));
  }

  private RecordingListener listener() {
    return new RecordingListener(time::nanoTime);
  }

  @AfterEach
  void closeAll() {
    for (StoreLockRegistry r : registries) {
      try {
        r.close();
      } catch (RuntimeException ignored) {
        // some tests leave leases lost on purpose
      }
    }
  }

  @Nested
  class ClockRateSafety {

    @Test
    void theServerTimeBoundNeverRunsAheadOfTheStoreWhenTheLocalClockRunsTenPercentFast() {
      ServerClock clock = new ServerClock();
      Instant updated = Instant.parse("2026-01-01T00:00:00Z");
      clock.observe(updated, 0);
      long trueElapsed = Duration.ofMinutes(9).toNanos();
      long localElapsed = trueElapsed + trueElapsed / 10;
      assertThat(clock.lowerBoundEpochNanos(localElapsed))
          .isLessThanOrEqualTo(ServerClock.epochNanos(updated) + trueElapsed);
    }

    @Test
    void aWaiterWhoseMonotonicClockRunsEightPercentFastNeverTakesOverALiveHolder() {
      Lease held =
          tryNow(
              build(
                  builder("holder")
                      .ttl(Duration.ofSeconds(2))
                      .refreshInterval(Duration.ofMillis(333)),
                  store),
              "job");
      TimeSource fast = () -> time.nanoTime() + (time.nanoTime() * 8) / 100;
      StoreLockRegistry waiter =
          build(builder("waiter").ttl(Duration.ofSeconds(2)).timeSource(fast), store);
      for (int i = 1; i <= 240; i++) {
        scheduler.advance(Duration.ofMillis(250));
        assertThat(held.isHealthy()).isTrue();
        assertThat(waiter.obtain("job").tryAcquire())
            .as("one-shot try after %d ms while the holder refreshes", i * 250)
            .isEmpty();
      }
    }
  }

  @Nested
  class CancelledAsyncAcquisitions {

    @Test
    void cancelledOrFailedFuturesLeaveNoWaiterAndNoTimeoutTaskBehind() {
      StoreLockRegistry r = registry("a");
      Lease held = tryNow(r, "job");
      int before = scheduler.pendingTasks();
      for (int i = 0; i < 1000; i++) {
        CompletableFuture<Lease> f = r.obtain("job").acquireAsync(Duration.ofMinutes(10));
        switch (i % 3) {
          case 0 -> f.cancel(false);
          case 1 -> f.completeExceptionally(new TimeoutException("what orTimeout(...) does"));
          default -> f.completeExceptionally(new IllegalStateException("caller gave up"));
        }
      }
      assertThat(r.queuedWaiters("job")).isZero();
      assertThat(scheduler.pendingTasks()).isEqualTo(before);
      scheduler.advance(Duration.ofHours(2));
      assertThat(r.queuedWaiters("job")).isZero();
      assertThat(held.isHealthy()).isTrue();
    }
  }

  @Nested
  class ReentrantHandOver {

    @Test
    void thousandsOfWaitersThatReleaseInsideTheirCompletionAreAllServedOnASmallStack()
        throws InterruptedException {
      StoreLockRegistry r = registry("a");
      Lease first = tryNow(r, "job");
      int waiters = 5000;
      AtomicInteger served = new AtomicInteger();
      for (int i = 0; i < waiters; i++) {
        r.obtain("job")
            .acquireAsync(Duration.ofHours(1))
            .thenAccept(
                lease -> {
                  served.incrementAndGet();
                  lease.release();
                });
      }
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread releaser =
          new Thread(
              null,
              () -> {
                try {
                  first.release();
                } catch (Throwable t) {
                  failure.set(t);
                }
              },
              "small-stack-releaser",
              256 * 1024);
      releaser.start();
      releaser.join();
      assertThat(failure.get()).isNull();
      assertThat(served.get()).isEqualTo(waiters);
      assertThat(store.peek("job")).isEmpty();
      assertThat(r.obtain("job").tryAcquire()).isPresent();
    }
  }

  @Nested
  class LateAppliedHandOver {

    @Test
    void aHandOverThatLandsAfterItsReadBackIsDeliveredToTheWaiterWithoutAFalseLoss() {
      RecordingListener l = listener();
      LateApplyingStore late = new LateApplyingStore(store);
      StoreLockRegistry r = build(builder("a", l), late);
      Lease first = tryNow(r, "job");
      CompletableFuture<Lease> next = r.obtain("job").acquireAsync(Duration.ofMinutes(1));
      late.delayNextReplaceUntilTheNextDelete();
      assertThatCode(first::release).doesNotThrowAnyException();
      scheduler.runDue();
      assertThat(l.of("lost")).isEmpty();
      assertThat(next).isDone();
      Lease second = next.join();
      assertThat(second.isHealthy()).isTrue();
      assertThat(store.peek("job").orElseThrow().version().generation())
          .isEqualTo(second.fencingToken());
    }
  }

  @Nested
  class ListenerEventOrder {

    @Test
    void acquiredComesBeforeReleasedWhenTheCallerReleasesInsideItsCompletion() {
      RecordingListener l = listener();
      StoreLockRegistry r = registry("a", l);
      r.obtain("job").acquireAsync(Duration.ofSeconds(5)).thenAccept(Lease::release);
      scheduler.runDue();
      assertThat(l.events)
          .extracting(RecordingListener.Event::kind)
          .containsExactly("acquired", "released");
    }

    @Test
    void aLocalHandOverReportsThePredecessorsReleaseBeforeTheSuccessorsAcquisition() {
      RecordingListener l = listener();
      StoreLockRegistry r = registry("a", l);
      Lease first = tryNow(r, "job");
      CompletableFuture<Lease> next = r.obtain("job").acquireAsync(Duration.ofSeconds(5));
      first.release();
      scheduler.runDue();
      long second = next.join().fencingToken();
      assertThat(l.events)
          .extracting(e -> e.kind() + " " + e.token())
          .containsExactly(
              "acquired " + first.fencingToken(),
              "released " + first.fencingToken(),
              "acquired " + second);
    }
  }

  @Nested
  class HostileTtl {

    private LockRecord recordWithTtl(Duration ttl) {
      return new LockRecord("hostile", "elsewhere", "n-1", ttl, Instant.EPOCH, 0);
    }

    @Test
    void aTtlTooLargeForNanosecondsIsReadWithoutCrashingAcquisitionOrIsLocked() {
      store.putForeign("job", recordWithTtl(Duration.ofMillis(Long.MAX_VALUE)));
      StoreLockRegistry r = registry("a");
      assertThatCode(() -> assertThat(r.obtain("job").tryAcquire()).isEmpty())
          .doesNotThrowAnyException();
      assertThatCode(() -> assertThat(r.obtain("job").isLocked()).isTrue())
          .doesNotThrowAnyException();
    }

    @Test
    void aTtlBeyondTheBuildersMaximumIsClampedToOneDay() {
      store.putForeign("job", recordWithTtl(Duration.ofDays(365L * 285)));
      StoreLockRegistry r = registry("a");
      CompletableFuture<Lease> f = r.obtain("job").acquireAsync(Duration.ofDays(3));
      scheduler.advance(Duration.ofHours(23));
      assertThat(f).isNotDone();
      scheduler.advance(Duration.ofHours(2));
      assertThat(f).isDone();
      assertThat(f.join().isHealthy()).isTrue();
    }
  }
}
