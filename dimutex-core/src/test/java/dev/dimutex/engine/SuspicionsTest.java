package dev.dimutex.engine;

import static dev.dimutex.testing.InMemoryLockStore.Op.READ;
import static dev.dimutex.testing.InMemoryLockStore.Op.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.dimutex.Lease;
import dev.dimutex.LeaseInfo;
import dev.dimutex.LockListener;
import dev.dimutex.LockLostException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The suspicions of the issue 10 review that a test can pin down. */
class SuspicionsTest {

  private static final long S = 1_000_000_000L;

  private final FakeTime time = new FakeTime();
  private final DeterministicScheduler scheduler = new DeterministicScheduler(time);
  private final InMemoryLockStore store = new InMemoryLockStore(time.clock(Duration.ZERO));
  private final List<StoreLockRegistry> registries = new ArrayList<>();

  private StoreLockRegistry registry(LockStore s, LockListener... listeners) {
    StoreLockRegistry.Builder b =
        StoreLockRegistry.builder()
            .ownerId("a")
            .clock(time.clock(Duration.ZERO))
            .timeSource(time)
            .scheduler(scheduler)
            .random(() -> 0.0)
            .sleeper(nanos -> time.advance(Duration.ofNanos(nanos)));
    for (LockListener l : listeners) {
      b.listener(l);
    }
    StoreLockRegistry r = b.build(s);
    registries.add(r);
    return r;
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

  @Test
  @Claim("C-CB-4")
  void aListenerThatThrowsAnErrorDoesNotEndTheRefreshChain() {
    LockListener throwing =
        new LockListener() {
          @Override
          public void onRefreshFailed(Lease lease, Throwable cause) {
            throw new AssertionError("a listener bug");
          }
        };
    Lease lease = registry(store, throwing).obtain("job").tryAcquire().orElseThrow();
    store.failNext(UPDATE, 1, StoreException.Kind.TRANSIENT, 503);
    scheduler.advance(Duration.ofSeconds(10)); // the refresh fails; the listener throws
    store.resetCounts();
    scheduler.advance(Duration.ofSeconds(30));
    assertThat(store.count(UPDATE)).isGreaterThanOrEqualTo(3);
    assertThat(lease.isHealthy()).isTrue();
  }

  @Test
  @Claim("C-LOST-4")
  void aLostLeaseThatIsNeverReleasedDoesNotBlockLocalWaiters() {
    RecordingListener l = new RecordingListener(time::nanoTime);
    StoreLockRegistry r = registry(store, l);
    r.obtain("job").tryAcquire().orElseThrow(); // never released by its owner
    CompletableFuture<Lease> next = r.obtain("job").acquireAsync(Duration.ofMinutes(5));
    store.deleteBehindTheBack("job");
    scheduler.advance(Duration.ofSeconds(10)); // the refresh finds the object gone: lost
    assertThat(l.of("lost")).hasSize(1);
    scheduler.advance(Duration.ofSeconds(2));
    assertThat(next).isDone();
    assertThat(next.join().isHealthy()).isTrue();
  }

  @Test
  @Claim("C-LOST-5")
  void aLostLeaseStaysListedUnhealthyUntilItsOwnerReleasesItSoHealthChecksSeeTheLoss() {
    StoreLockRegistry r = registry(store);
    Lease lost = r.obtain("job").tryAcquire().orElseThrow();
    CompletableFuture<Lease> next = r.obtain("job").acquireAsync(Duration.ofMinutes(5));
    store.deleteBehindTheBack("job");
    scheduler.advance(Duration.ofSeconds(12)); // lost at its refresh; the waiter takes the lock
    assertThat(r.heldLeases())
        .extracting(LeaseInfo::fencingToken, LeaseInfo::healthy)
        .containsExactlyInAnyOrder(
            tuple(lost.fencingToken(), false), tuple(next.join().fencingToken(), true));
    assertThatThrownBy(lost::release).isInstanceOf(LockLostException.class);
    assertThat(r.heldLeases())
        .extracting(LeaseInfo::fencingToken)
        .containsExactly(next.join().fencingToken());
  }

  @Test
  void aReleaseAfterAnUnseenAppliedRefreshHandsOverWithThreeRequests() {
    RecordingListener l = new RecordingListener(time::nanoTime);
    StoreLockRegistry r = registry(store, l);
    Lease first = r.obtain("job").tryAcquire().orElseThrow();
    CompletableFuture<Lease> next = r.obtain("job").acquireAsync(Duration.ofMinutes(1));
    store.dropNext(UPDATE, 1); // the refresh applies, its answer is lost
    store.failNext(READ, 1, StoreException.Kind.TRANSIENT, 503); // and its read-back fails
    scheduler.advance(Duration.ofSeconds(10));
    store.resetCounts();
    first.release(); // replace at the old version (412), read back (ours, newer), replace
    assertThat(store.total()).isEqualTo(3);
    assertThat(l.of("lost")).isEmpty();
    assertThat(next).isDone();
    assertThat(store.peek("job").orElseThrow().version().generation())
        .isEqualTo(next.join().fencingToken());
  }

  /** Applies the next update, then fails it with an unclassified exception. */
  private LockStore applyingThenExploding(AtomicBoolean explodeAfterUpdate) {
    return new LockStore() {
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
        return store.create(name, record, replacing);
      }

      @Override
      public Optional<StoredLock> read(String name) {
        return store.read(name);
      }

      @Override
      public Optional<StoredLock> update(String name, ObjectVersion expected, LockRecord record) {
        Optional<StoredLock> r = store.update(name, expected, record);
        if (explodeAfterUpdate.compareAndSet(true, false)) {
          throw new IllegalStateException("the HTTP client failed after sending");
        }
        return r;
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
    };
  }

  @Test
  void anUnclassifiedFailureOfARefreshIsAnUnknownOutcomeCountedFromItsSend() {
    AtomicBoolean explode = new AtomicBoolean();
    Lease lease = registry(applyingThenExploding(explode)).obtain("job").tryAcquire().orElseThrow();
    explode.set(true);
    long send = time.nanoTime() + 10 * S;
    scheduler.advance(Duration.ofSeconds(10)); // applied, then the client throws
    assertThat(store.peek("job").orElseThrow().version().metageneration()).isEqualTo(2);
    store.failNext(UPDATE, 10_000, StoreException.Kind.TRANSIENT, 503);
    // the lease may count only from the send of the write that applied: 54 s (TTL - margin)
    scheduler.advance(Duration.ofNanos(send + 54 * S - 1 - time.nanoTime()));
    assertThat(lease.isHealthy()).isTrue();
    scheduler.advance(Duration.ofNanos(1));
    assertThat(lease.isHealthy()).isFalse();
  }
}
