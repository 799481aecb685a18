package dev.dimutex.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dimutex.Lease;
import dev.dimutex.LockInterruptedException;
import dev.dimutex.LockRegistry;
import dev.dimutex.LockTimeoutException;
import dev.dimutex.Mutex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * The lock contract every store must satisfy, run with real threads and real (short) times.
 * Subclasses supply registries over their store; each registry is a separate owner, as if in
 * another process. Every bound asserted here is generous and stated.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class LockRegistryContract {

  private final List<LockRegistry> opened = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private String lockName = "contract";

  /** Creates the suite; subclasses supply the registries. */
  protected LockRegistryContract() {}

  /**
   * Returns a new registry (a new owner) over the shared store, with a short TTL (a few seconds), a
   * refresh interval well below it and a fast backoff (cap at most 200 ms).
   *
   * @return a new registry; the suite closes it after the test
   */
  protected abstract LockRegistry createRegistry();

  /**
   * Returns the lock name of a test. Every test uses its own, so stores that keep objects across
   * tests still work.
   *
   * @param info the running test
   * @return a name unique to this test run
   */
  protected String uniqueName(TestInfo info) {
    return "contract-"
        + info.getTestMethod().map(m -> m.getName()).orElse("x")
        + "-"
        + System.nanoTime();
  }

  /**
   * Returns a new registry from {@link #createRegistry()} that the suite closes after the test.
   *
   * @return the registry
   */
  protected final LockRegistry registry() {
    LockRegistry r = createRegistry();
    opened.add(r);
    return r;
  }

  @org.junit.jupiter.api.BeforeEach
  void name(TestInfo info) {
    lockName = uniqueName(info);
  }

  @AfterEach
  void closeAll() {
    threads.shutdownNow();
    for (LockRegistry r : opened) {
      try {
        r.close();
      } catch (RuntimeException ignored) {
        // a test may leave a lost lease behind
      }
    }
  }

  @Nested
  class MutualExclusion {

    @Test
    @Claim("C-REL-1")
    void threadsOfSeveralRegistriesNeverHoldTheLockTogether() throws Exception {
      AtomicInteger inside = new AtomicInteger();
      AtomicInteger maxInside = new AtomicInteger();
      AtomicInteger done = new AtomicInteger();
      List<Future<?>> futures = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        Mutex mutex = registry().obtain(lockName);
        for (int t = 0; t < 3; t++) {
          futures.add(
              threads.submit(
                  () -> {
                    for (int i = 0; i < 4; i++) {
                      try (Lease lease = mutex.acquire(Duration.ofSeconds(30))) {
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        lease.checkHealthy();
                        Thread.sleep(2);
                        inside.decrementAndGet();
                        done.incrementAndGet();
                      }
                    }
                    return null;
                  }));
        }
      }
      for (Future<?> f : futures) {
        f.get(50, TimeUnit.SECONDS);
      }
      assertThat(maxInside.get()).isEqualTo(1);
      assertThat(done.get()).isEqualTo(24);
    }

    @Test
    void aSecondRegistryCannotAcquireWhatTheFirstHolds() {
      Lease held = registry().obtain(lockName).acquire(Duration.ofSeconds(5));
      assertThat(registry().obtain(lockName).tryAcquire()).isEmpty();
      assertThat(registry().obtain(lockName).isLocked()).isTrue();
      held.release();
      assertThat(registry().obtain(lockName).isLocked()).isFalse();
      assertThat(registry().obtain(lockName).tryAcquire()).isPresent();
    }

    @Test
    @Claim("C-API-3")
    void theSameRegistryDoesNotGrantTheMutexTwice() {
      LockRegistry r = registry();
      Lease held = r.obtain(lockName).acquire(Duration.ofSeconds(5));
      assertThat(r.obtain(lockName).tryAcquire()).isEmpty();
      assertThat(r.obtain(lockName).tryAcquire(Duration.ofMillis(100))).isEmpty();
      held.release();
    }
  }

  @Nested
  class Reentrancy {

    @Test
    @Claim("C-API-4")
    void theLockViewCountsHoldsAndReleasesOnlyAtZero() {
      Lock lock = registry().obtain(lockName).asLock();
      Mutex other = registry().obtain(lockName);
      lock.lock();
      lock.lock();
      assertThat(lock.tryLock()).isTrue();
      lock.unlock();
      lock.unlock();
      assertThat(other.tryAcquire()).isEmpty();
      lock.unlock();
      assertThat(other.tryAcquire()).isPresent();
    }

    @Test
    @Claim("C-API-4")
    void theLockViewIsBoundToTheLockingThread() throws Exception {
      Lock lock = registry().obtain(lockName).asLock();
      lock.lock();
      Future<Boolean> otherThread = threads.submit(() -> lock.tryLock(100, TimeUnit.MILLISECONDS));
      assertThat(otherThread.get(10, TimeUnit.SECONDS)).isFalse();
      Future<?> wrongUnlock = threads.submit(lock::unlock);
      assertThatThrownBy(() -> wrongUnlock.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IllegalMonitorStateException.class);
      lock.unlock();
    }

    @Test
    void conditionsAreNotSupportedWithAClearMessage() {
      Lock lock = registry().obtain(lockName).asLock();
      assertThatThrownBy(lock::newCondition)
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("do not support conditions");
    }
  }

  @Nested
  class Waiting {

    @Test
    void acquireTimesOutWithinTheWaitPlusAGenerousMargin() {
      registry().obtain(lockName).acquire(Duration.ofSeconds(5));
      Mutex mutex = registry().obtain(lockName);
      long start = System.nanoTime();
      assertThatThrownBy(() -> mutex.acquire(Duration.ofMillis(300)))
          .isInstanceOf(LockTimeoutException.class)
          .hasMessageContaining(lockName);
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(tookMs).isBetween(290L, 3_000L);
    }

    @Test
    void tryingOnceDoesNotWait() {
      registry().obtain(lockName).acquire(Duration.ofSeconds(5));
      long start = System.nanoTime();
      assertThat(registry().obtain(lockName).tryAcquire()).isEmpty();
      assertThat(registry().obtain(lockName).tryAcquire(Duration.ZERO)).isEmpty();
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000);
    }

    @Test
    void aWaiterGetsTheLockSoonAfterItIsReleased() throws Exception {
      Lease held = registry().obtain(lockName).acquire(Duration.ofSeconds(5));
      Mutex mutex = registry().obtain(lockName);
      Future<Lease> waiting = threads.submit(() -> mutex.acquire(Duration.ofSeconds(20)));
      Thread.sleep(300);
      assertThat(waiting).isNotDone();
      held.release();
      Lease got = waiting.get(10, TimeUnit.SECONDS);
      assertThat(got.isHealthy()).isTrue();
      assertThat(got.fencingToken()).isNotEqualTo(held.fencingToken());
    }

    @Test
    void acquireAsyncCompletesWithoutAThreadOfTheCallerAndAfterRelease() throws Exception {
      Lease held = registry().obtain(lockName).acquire(Duration.ofSeconds(5));
      CompletableFuture<Lease> f = registry().obtain(lockName).acquireAsync(Duration.ofSeconds(20));
      Thread.sleep(200);
      assertThat(f).isNotDone();
      held.release();
      Lease got = f.get(10, TimeUnit.SECONDS);
      assertThat(got.isHealthy()).isTrue();
    }

    @Test
    void acquireAsyncTimesOutWithLockTimeoutException() {
      registry().obtain(lockName).acquire(Duration.ofSeconds(5));
      CompletableFuture<Lease> f = registry().obtain(lockName).acquireAsync(Duration.ofMillis(300));
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(LockTimeoutException.class);
    }

    @Test
    @Claim("C-THR-5")
    @Claim("C-API-2")
    void waitingOnTheRegistrysOwnSchedulerThreadIsRefusedWithAClearMessage() {
      Lease held = registry().obtain(lockName).acquire(Duration.ofSeconds(5));
      LockRegistry r = registry();
      // attached before the lease can arrive, so the callback runs on the registry's thread
      CompletableFuture<Lease> nested =
          r.obtain(lockName)
              .acquireAsync(Duration.ofSeconds(20))
              .thenApply(outer -> r.obtain(lockName + "-inner").acquire(Duration.ofSeconds(1)));
      held.release();
      assertThatThrownBy(() -> nested.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IllegalStateException.class)
          .hasMessageContaining("use acquireAsync");
    }

    @Test
    void aWaitingThreadCanBeInterrupted() throws Exception {
      registry().obtain(lockName).acquire(Duration.ofSeconds(5));
      Mutex mutex = registry().obtain(lockName);
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      AtomicReference<Boolean> flag = new AtomicReference<>();
      CountDownLatch started = new CountDownLatch(1);
      Thread t =
          new Thread(
              () -> {
                started.countDown();
                try {
                  mutex.acquire(Duration.ofSeconds(30));
                } catch (Throwable ex) {
                  thrown.set(ex);
                  flag.set(Thread.currentThread().isInterrupted());
                }
              });
      t.start();
      started.await();
      Thread.sleep(200);
      long start = System.nanoTime();
      t.interrupt();
      t.join(5_000);
      assertThat(t.isAlive()).isFalse();
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
      assertThat(thrown.get()).isInstanceOf(LockInterruptedException.class);
      assertThat(flag.get()).isTrue();
    }
  }

  @Nested
  class Releasing {

    @Test
    @Claim("C-API-3")
    void aLeaseCanBeReleasedFromAnotherThread() throws Exception {
      Lease held = registry().obtain(lockName).acquire(Duration.ofSeconds(5));
      threads.submit(held::release).get(10, TimeUnit.SECONDS);
      assertThat(held.isHealthy()).isFalse();
      assertThat(registry().obtain(lockName).tryAcquire()).isPresent();
    }

    @Test
    @Claim("C-API-5")
    void releasingTwiceIsHarmless() {
      Lease held = registry().obtain(lockName).acquire(Duration.ofSeconds(5));
      held.release();
      Lease next = registry().obtain(lockName).acquire(Duration.ofSeconds(5));
      held.release();
      held.close();
      assertThat(next.isHealthy()).isTrue();
      assertThat(registry().obtain(lockName).tryAcquire()).isEmpty();
    }

    @Test
    void forceReleaseRemovesTheHolderWhoseLeaseThenTurnsUnhealthy() throws Exception {
      Lease held = registry().obtain(lockName).acquire(Duration.ofSeconds(5));
      registry().obtain(lockName).forceRelease();
      Lease next = registry().obtain(lockName).acquire(Duration.ofSeconds(5));
      assertThat(next.isHealthy()).isTrue();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (held.isHealthy() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(held.isHealthy()).isFalse();
      assertThatThrownBy(held::release)
          .hasMessageContaining("may have been touched by another holder");
      assertThat(next.isHealthy()).isTrue();
    }

    @Test
    @Claim("C-API-6")
    void closingARegistryReleasesItsLeases() {
      LockRegistry r = registry();
      Lease held = r.obtain(lockName).acquire(Duration.ofSeconds(5));
      r.close();
      assertThat(held.isHealthy()).isFalse();
      assertThat(registry().obtain(lockName).tryAcquire()).isPresent();
    }
  }
}
