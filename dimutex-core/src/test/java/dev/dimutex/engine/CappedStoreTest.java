package dev.dimutex.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.LockStore;
import dev.dimutex.spi.ObjectVersion;
import dev.dimutex.spi.StoredLock;
import dev.dimutex.testing.Claim;
import dev.dimutex.testing.InMemoryLockStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cap on store calls in flight: refresh writes take the next free place before queued
 * acquisitions, so a burst of acquisitions cannot starve held leases. Real threads, explicit
 * conditions, no sleeps.
 */
class CappedStoreTest {

  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  /** Records the order calls reach the store and blocks each until the test lets it go. */
  private static final class Gated implements LockStore {
    final InMemoryLockStore store = new InMemoryLockStore(Clock.systemUTC());
    final List<String> entered = new CopyOnWriteArrayList<>();
    final Semaphore letGo = new Semaphore(0);
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger maxInside = new AtomicInteger();

    private void pass(String call) {
      maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
      entered.add(call);
      letGo.acquireUninterruptibly();
      inside.decrementAndGet();
    }

    @Override
    public String describe() {
      return "gated";
    }

    @Override
    public void validateName(String name) {}

    @Override
    public Optional<StoredLock> create(
        String name, LockRecord record, @Nullable ObjectVersion replacing) {
      pass("create " + name);
      return store.create(name, record, replacing);
    }

    @Override
    public Optional<StoredLock> read(String name) {
      pass("read " + name);
      return store.read(name);
    }

    @Override
    public Optional<StoredLock> update(String name, ObjectVersion expected, LockRecord record) {
      pass("update " + name);
      return Optional.empty();
    }

    @Override
    public DeleteOutcome delete(String name, ObjectVersion expected) {
      pass("delete " + name);
      return DeleteOutcome.NOT_FOUND;
    }

    @Override
    public DeleteOutcome deleteGeneration(String name, long generation) {
      return DeleteOutcome.NOT_FOUND;
    }

    @Override
    public List<StoredLock> list() {
      return List.of();
    }

    @Override
    public void verifyAccess() {}
  }

  private static LockRecord record() {
    return new LockRecord("owner", "test", "nonce", Duration.ofSeconds(60), Instant.now(), 0);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  @Test
  @Claim("C-THR-7")
  void aWaitingRefreshTakesTheNextFreePlaceBeforeEarlierQueuedAcquisitions() throws Exception {
    Gated gated = new Gated();
    CappedStore capped = new CappedStore(gated, 2);
    List<Future<?>> calls = new ArrayList<>();
    calls.add(threads.submit(() -> capped.create("a", record(), null)));
    calls.add(threads.submit(() -> capped.create("b", record(), null)));
    await(() -> gated.entered.size() == 2, "two creates are in flight");
    calls.add(threads.submit(() -> capped.create("c", record(), null)));
    calls.add(threads.submit(() -> capped.read("d")));
    // The two queued acquisitions are waiting for a place before the refresh arrives.
    await(() -> capped.state()[2] == 2, "two calls wait for a place");
    calls.add(threads.submit(() -> capped.update("e", new ObjectVersion(1, 1), record())));
    await(() -> capped.state()[1] == 1, "the refresh waits");

    gated.letGo.release(); // one create finishes: its place goes to the refresh
    await(() -> gated.entered.size() == 3, "a third call entered");
    assertThat(gated.entered.get(2)).isEqualTo("update e");

    gated.letGo.release(10);
    for (Future<?> f : calls) {
      f.get(10, TimeUnit.SECONDS);
    }
    assertThat(gated.entered)
        .containsExactlyInAnyOrder("create a", "create b", "update e", "create c", "read d");
    assertThat(capped.state()).containsExactly(0, 0, 0);
  }

  @Test
  void aRefreshWithAFreePlaceGoesStraightInAndOthersFollowIt() throws Exception {
    Gated gated = new Gated();
    CappedStore capped = new CappedStore(gated, 3);
    Future<?> refresh = threads.submit(() -> capped.update("e", new ObjectVersion(1, 1), record()));
    await(() -> gated.entered.size() == 1, "the refresh is in flight");
    Future<?> a = threads.submit(() -> capped.create("a", record(), null));
    Future<?> b = threads.submit(() -> capped.read("b"));
    await(() -> gated.entered.size() == 3, "the others entered beside it");
    assertThat(gated.entered).containsExactlyInAnyOrder("update e", "create a", "read b");
    assertThat(capped.state()).containsExactly(3, 0, 0);
    gated.letGo.release(3);
    refresh.get(10, TimeUnit.SECONDS);
    a.get(10, TimeUnit.SECONDS);
    b.get(10, TimeUnit.SECONDS);
    assertThat(capped.state()).containsExactly(0, 0, 0);
  }

  @Test
  @Claim("C-THR-4")
  void neverMoreCallsInFlightThanTheCap() throws Exception {
    Gated gated = new Gated();
    CappedStore capped = new CappedStore(gated, 4);
    CountDownLatch submitted = new CountDownLatch(20);
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      calls.add(
          threads.submit(
              () -> {
                submitted.countDown();
                if (n % 3 == 0) {
                  capped.update("u" + n, new ObjectVersion(1, 1), record());
                } else {
                  capped.read("r" + n);
                }
              }));
    }
    assertThat(submitted.await(10, TimeUnit.SECONDS)).isTrue();
    for (int released = 0; released < 20; released++) {
      int expected = Math.min(4, 20 - released);
      int before = released;
      await(
          () -> gated.entered.size() == before + expected && capped.state()[0] == expected,
          expected + " calls in flight");
      gated.letGo.release();
    }
    for (Future<?> f : calls) {
      f.get(10, TimeUnit.SECONDS);
    }
    assertThat(gated.entered).hasSize(20);
    assertThat(gated.maxInside.get()).isEqualTo(4);
  }
}
