package dev.dimutex.engine;

import static dev.dimutex.testing.InMemoryLockStore.Op.READ;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.Lease;
import dev.dimutex.testing.Claim;
import dev.dimutex.testing.DeterministicScheduler;
import dev.dimutex.testing.FakeTime;
import dev.dimutex.testing.InMemoryLockStore;
import dev.dimutex.testing.RecordingListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two SEMANTICS.md promises that involve two processes, each with its own scheduler on one fake
 * clock: the crash recovery bound, measured from the dead holder's last successful refresh, and the
 * preference for local waiters at a release.
 */
class CrashAndPreferenceTest {

  private static final Duration TTL = Duration.ofSeconds(60);
  private static final Duration BACKOFF_CAP = Duration.ofSeconds(1);
  private static final Duration STEP = Duration.ofMillis(1);

  private final FakeTime time = new FakeTime();
  private final InMemoryLockStore store = new InMemoryLockStore(time.clock(Duration.ZERO));
  private final List<StoreLockRegistry> registries = new ArrayList<>();

  @AfterEach
  void closeAll() {
    registries.forEach(StoreLockRegistry::close);
  }

  private StoreLockRegistry registry(
      String owner, DeterministicScheduler scheduler, double random, RecordingListener... ls) {
    StoreLockRegistry.Builder b =
        StoreLockRegistry.builder()
            .ownerId(owner)
            .clock(time.clock(Duration.ZERO))
            .timeSource(time)
            .scheduler(scheduler)
            .random(() -> random)
            .sleeper(nanos -> time.advance(Duration.ofNanos(nanos)));
    for (RecordingListener l : ls) {
      b.listener(l);
    }
    StoreLockRegistry r = b.build(store);
    registries.add(r);
    return r;
  }

  /** Moves the shared clock by one step, running what each live process has due. */
  private static void step(DeterministicScheduler driver, DeterministicScheduler... others) {
    driver.advance(STEP);
    for (DeterministicScheduler o : others) {
      o.runDue();
    }
  }

  @Test
  @Claim("C-REL-7")
  @Claim("C-GUA-4")
  void aPollingWaiterTakesOverWithinTtlPlusOneBackoffCapOfTheDeadHoldersLastRefresh() {
    for (double random : new double[] {0.0, 0.5, 0.999}) {
      recoveryAfterCrashIsBounded(random, "job-" + random);
    }
  }

  private void recoveryAfterCrashIsBounded(double random, String name) {
    DeterministicScheduler holderScheduler = new DeterministicScheduler(time);
    DeterministicScheduler waiterScheduler = new DeterministicScheduler(time);
    RecordingListener waiterEvents = new RecordingListener(time::nanoTime);
    StoreLockRegistry holder = registry("holder-" + random, holderScheduler, random);
    StoreLockRegistry waiter = registry("waiter-" + random, waiterScheduler, random, waiterEvents);

    holder.obtain(name).tryAcquire().orElseThrow();
    CompletableFuture<Lease> waiting = waiter.obtain(name).acquireAsync(Duration.ofMinutes(10));

    // both alive for 45 s: the holder refreshes about four times, the waiter polls throughout
    long metagen = metageneration(name);
    long lastRefreshAt = time.nanoTime();
    int refreshes = 0;
    long readsBefore = store.count(READ);
    long end = time.nanoTime() + Duration.ofSeconds(45).toNanos();
    while (time.nanoTime() < end) {
      step(waiterScheduler, holderScheduler);
      long now = metageneration(name);
      if (now != metagen) {
        metagen = now;
        lastRefreshAt = time.nanoTime();
        refreshes++;
      }
    }
    assertThat(refreshes).as("refreshes the waiter polled through").isGreaterThanOrEqualTo(3);
    assertThat(store.count(READ) - readsBefore).as("polls").isGreaterThan(refreshes);
    assertThat(waiting).isNotDone();

    // the holder vanishes: its scheduler never runs again (no refresh, no release)
    long deadline = time.nanoTime() + TTL.multipliedBy(3).toNanos();
    while (!waiting.isDone() && time.nanoTime() < deadline) {
      step(waiterScheduler);
    }
    assertThat(waiting).isCompleted();
    long takenAt = waiterEvents.of("acquired").get(0).atNanos();
    assertThat(Duration.ofNanos(takenAt - lastRefreshAt))
        .as("from the holder's last successful refresh to the takeover (random %s)", random)
        .isGreaterThanOrEqualTo(TTL)
        .isLessThanOrEqualTo(TTL.plus(BACKOFF_CAP));
    assertThat(waiting.join().isHealthy()).isTrue();
  }

  private long metageneration(String name) {
    return store.peek(name).orElseThrow().version().metageneration();
  }

  @Test
  @Claim("C-HAND-2")
  @Claim("C-GUA-12")
  void aReleaseHandsTheLockToALocalWaiterEvenWhenAnotherProcessWaitedLonger() {
    DeterministicScheduler here = new DeterministicScheduler(time);
    DeterministicScheduler elsewhere = new DeterministicScheduler(time);
    StoreLockRegistry local = registry("local", here, 0.0);
    StoreLockRegistry remote = registry("remote", elsewhere, 0.0);

    Lease held = local.obtain("job").tryAcquire().orElseThrow();
    CompletableFuture<Lease> remoteWaiter =
        remote.obtain("job").acquireAsync(Duration.ofMinutes(5));
    for (int i = 0; i < 5_000; i++) {
      step(elsewhere, here);
    }
    long remotePolls = store.count(READ);
    assertThat(remotePolls).as("the remote waiter has been polling").isGreaterThan(2);
    CompletableFuture<Lease> localWaiter = local.obtain("job").acquireAsync(Duration.ofMinutes(5));
    for (int i = 0; i < 100; i++) {
      step(here, elsewhere);
    }
    assertThat(localWaiter).isNotDone();

    held.release();
    for (int i = 0; i < 5_000; i++) {
      step(elsewhere, here);
    }

    assertThat(localWaiter).isCompleted();
    assertThat(remoteWaiter).isNotDone();
    assertThat(Objects.requireNonNull(store.peek("job").orElseThrow().record()).ownerId())
        .isEqualTo("local");
    assertThat(store.peek("job").orElseThrow().version().generation())
        .isEqualTo(localWaiter.join().fencingToken());
  }
}
