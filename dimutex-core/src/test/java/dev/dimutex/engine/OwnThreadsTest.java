package dev.dimutex.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dimutex.Lease;
import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.LockStore;
import dev.dimutex.spi.ObjectVersion;
import dev.dimutex.spi.StoredLock;
import dev.dimutex.testing.InMemoryLockStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The registry's own threads (no scheduler given): timing on one platform thread, store calls on
 * the elastic I/O executor, at most {@code maxConcurrentStoreCalls} of them in flight. These tests
 * use real threads with generous, explicit bounds; they never sleep.
 */
class OwnThreadsTest {

  /** The in-memory store, recording the calling threads and holding creates until released. */
  private static final class Recording implements LockStore {
    final InMemoryLockStore store = new InMemoryLockStore(Clock.systemUTC());
    final List<String> threads = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final CountDownLatch gate;
    final CountDownLatch entered;

    Recording(int holdCreates) {
      gate = new CountDownLatch(holdCreates > 0 ? 1 : 0);
      entered = new CountDownLatch(holdCreates);
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
    public Optional<StoredLock> create(
        String name, LockRecord record, @Nullable ObjectVersion replacing) {
      threads.add(Thread.currentThread().getName());
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        entered.countDown();
        if (!gate.await(10, TimeUnit.SECONDS)) {
          throw new AssertionError("the gate was never opened");
        }
        return store.create(name, record, replacing);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public Optional<StoredLock> read(String name) {
      return store.read(name);
    }

    @Override
    public Optional<StoredLock> update(String name, ObjectVersion expected, LockRecord record) {
      return store.update(name, expected, record);
    }

    @Override
    public DeleteOutcome delete(String name, ObjectVersion expected) {
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
  }

  @Test
  void asynchronousAttemptsRunOnTheIoExecutorNotOnTheTimer() throws Exception {
    Recording store = new Recording(0);
    try (StoreLockRegistry r = StoreLockRegistry.builder().ownerId("own-threads").build(store)) {
      Lease lease = r.obtain("job").acquireAsync(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
      lease.release();
    }
    assertThat(store.threads).hasSize(1);
    assertThat(store.threads.get(0)).doesNotContain("-timer-").startsWith("dimutex-own-thre-io-");
  }

  @Test
  void noMoreStoreCallsThanTheCapAreInFlightAtOnce() throws Exception {
    Recording store = new Recording(2);
    try (StoreLockRegistry r =
        StoreLockRegistry.builder().ownerId("capped").maxConcurrentStoreCalls(2).build(store)) {
      List<CompletableFuture<Lease>> futures = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        futures.add(r.obtain("job-" + i).acquireAsync(Duration.ofSeconds(30)));
      }
      assertThat(store.entered.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(store.inFlight.get()).isEqualTo(2);
      store.gate.countDown();
      for (CompletableFuture<Lease> f : futures) {
        f.get(10, TimeUnit.SECONDS).release();
      }
    }
    assertThat(store.maxInFlight.get()).isEqualTo(2);
    assertThat(store.threads).hasSize(6);
  }

  @Test
  void theCapIsValidatedWhenSet() {
    assertThatThrownBy(() -> StoreLockRegistry.builder().maxConcurrentStoreCalls(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConcurrentStoreCalls must be between 1 and 10000, was 0");
  }
}
