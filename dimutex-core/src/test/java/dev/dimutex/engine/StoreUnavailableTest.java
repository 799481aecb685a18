package dev.dimutex.engine;

import static dev.dimutex.testing.InMemoryLockStore.Op.CREATE;
import static dev.dimutex.testing.InMemoryLockStore.Op.READ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dimutex.Lease;
import dev.dimutex.LockTimeoutException;
import dev.dimutex.StoreUnavailableException;
import dev.dimutex.spi.StoreException;
import dev.dimutex.testing.Claim;
import dev.dimutex.testing.DeterministicScheduler;
import dev.dimutex.testing.FakeTime;
import dev.dimutex.testing.InMemoryLockStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An outage is not contention: a wait that ends because the store kept failing transiently, without
 * anyone seen holding the lock, ends with {@link StoreUnavailableException}; a wait that saw the
 * holder ends with {@link LockTimeoutException}.
 */
class StoreUnavailableTest {

  private final FakeTime time = new FakeTime();
  private final DeterministicScheduler scheduler = new DeterministicScheduler(time);
  private final InMemoryLockStore store = new InMemoryLockStore(time.clock(Duration.ZERO));
  private final List<StoreLockRegistry> registries = new ArrayList<>();

  private StoreLockRegistry registry(String owner) {
    StoreLockRegistry r =
        StoreLockRegistry.builder()
            .ownerId(owner)
            .clock(time.clock(Duration.ZERO))
            .timeSource(time)
            .scheduler(scheduler)
            .random(() -> 0.0)
            .sleeper(nanos -> scheduler.advance(Duration.ofNanos(nanos)))
            .build(store);
    registries.add(r);
    return r;
  }

  private void storeFailsEveryCall() {
    store.failNext(CREATE, 1_000_000, StoreException.Kind.TRANSIENT, 503);
    store.failNext(READ, 1_000_000, StoreException.Kind.TRANSIENT, 503);
  }

  @AfterEach
  void closeAll() {
    registries.forEach(StoreLockRegistry::close);
  }

  @Test
  @Claim("C-ERR-2")
  @Claim("C-TRB-8")
  void tryAcquireThrowsStoreUnavailableWhenTheStoreCannotBeReached() {
    storeFailsEveryCall();
    assertThatThrownBy(() -> registry("a").obtain("job").tryAcquire())
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("lock 'job'")
        .hasCauseInstanceOf(StoreException.class);
  }

  @Test
  @Claim("C-ERR-2")
  @Claim("C-TRB-8")
  void acquireAsyncCompletesWithStoreUnavailableWhenEveryCallOfTheWaitFailed() {
    storeFailsEveryCall();
    CompletableFuture<Lease> f = registry("a").obtain("job").acquireAsync(Duration.ofSeconds(10));
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(f).isCompletedExceptionally();
    assertThatThrownBy(f::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(StoreUnavailableException.class)
        .isNotInstanceOf(LockTimeoutException.class)
        .hasMessageContaining("lock 'job'")
        .hasCauseInstanceOf(StoreException.class);
  }

  @Test
  @Claim("C-ERR-3")
  void aWaitThatSawTheHolderBeforeTheOutageStillEndsWithLockTimeout() {
    registry("holder").obtain("job").tryAcquire().orElseThrow();
    CompletableFuture<Lease> f = registry("b").obtain("job").acquireAsync(Duration.ofSeconds(10));
    scheduler.advance(Duration.ofSeconds(2));
    storeFailsEveryCall();
    scheduler.advance(Duration.ofSeconds(8));
    assertThatThrownBy(f::get).cause().isExactlyInstanceOf(LockTimeoutException.class);
  }

  @Test
  @Claim("C-ERR-3")
  void aWaitBehindALiveHolderEndsWithLockTimeout() {
    registry("holder").obtain("job").tryAcquire().orElseThrow();
    CompletableFuture<Lease> f = registry("b").obtain("job").acquireAsync(Duration.ofSeconds(3));
    scheduler.advance(Duration.ofSeconds(3));
    assertThatThrownBy(f::get).cause().isExactlyInstanceOf(LockTimeoutException.class);
  }

  @Test
  @Claim("C-ERR-2")
  @Claim("C-TRB-8")
  void blockingAcquireThrowsStoreUnavailableWithTheLastStoreErrorAsCause() {
    storeFailsEveryCall();
    StoreLockRegistry r = registry("a");
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                r.obtain("job").acquire(Duration.ofSeconds(10));
                thrown.complete(new AssertionError("acquired during an outage"));
              } catch (Throwable t) {
                thrown.complete(t);
              }
            });
    caller.start();
    for (int i = 0; i < 100_000 && !thrown.isDone(); i++) {
      scheduler.advance(Duration.ofMillis(100));
      Thread.yield();
    }
    assertThat(thrown.join())
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("lock 'job'")
        .hasCauseInstanceOf(StoreException.class);
  }

  @Test
  void aOneShotTryWhileAnotherLocalCallerIsTryingIsContentionNotAnOutage() {
    storeFailsEveryCall();
    StoreLockRegistry r = registry("a");
    CompletableFuture<Lease> other = r.obtain("job").acquireAsync(Duration.ofMinutes(1));
    scheduler.runDue(); // its first attempt fails transiently; it keeps trying
    assertThat(other).isNotDone();
    assertThat(r.obtain("job").tryAcquire()).isEmpty();
  }
}
