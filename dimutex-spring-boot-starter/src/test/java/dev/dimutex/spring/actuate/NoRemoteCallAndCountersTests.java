package dev.dimutex.spring.actuate;

import static dev.dimutex.testing.InMemoryLockStore.Op.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.Lease;
import dev.dimutex.engine.StoreLockRegistry;
import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.StoreException;
import dev.dimutex.spring.autoconfigure.SingleLockRegistries;
import dev.dimutex.testing.Claim;
import dev.dimutex.testing.DeterministicScheduler;
import dev.dimutex.testing.FakeTime;
import dev.dimutex.testing.InMemoryLockStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The health contributor answers from what the instance already knows, and the lease counters count
 * what the registry reports: a real registry on an in-memory store that counts its requests, with
 * fake time.
 */
class NoRemoteCallAndCountersTests {

  private final FakeTime time = new FakeTime();
  private final DeterministicScheduler scheduler = new DeterministicScheduler(time);
  private final InMemoryLockStore store = new InMemoryLockStore(time.clock(Duration.ZERO));
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final DimutexMetrics metrics = new DimutexMetrics(meters);
  private final Clock wall = time.clock(Duration.ZERO);
  private final StoreReachability reachability =
      new StoreReachability(wall, Duration.ofSeconds(60));
  private final LostLeases lostLeases = new LostLeases(wall, Duration.ofSeconds(60));
  private final StoreLockRegistry registry =
      StoreLockRegistry.builder()
          .ownerId("here")
          .clock(wall)
          .timeSource(time)
          .scheduler(scheduler)
          .random(() -> 0.0)
          .sleeper(nanos -> time.advance(Duration.ofNanos(nanos)))
          .listener(metrics)
          .listener(reachability)
          .listener(lostLeases)
          .build(store);

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  @Claim("C-STA-33")
  void healthMakesNoStoreRequestWhetherLeasesAreHealthyOrLost() {
    DimutexHealthIndicator health =
        new DimutexHealthIndicator(new SingleLockRegistries(registry), reachability, lostLeases);
    Lease kept = registry.obtain("kept").tryAcquire().orElseThrow();
    registry.obtain("lost").tryAcquire().orElseThrow();

    store.resetCounts();
    for (int i = 0; i < 10; i++) {
      assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }
    assertThat(store.total()).as("requests while the health was asked ten times").isZero();

    store.deleteBehindTheBack("lost");
    scheduler.advance(Duration.ofSeconds(11)); // the refresh finds the object gone
    store.resetCounts();
    Health down = health.health();
    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
    assertThat(store.total()).isZero();
    assertThat(kept.isHealthy()).isTrue();
  }

  @Test
  @Claim("C-STA-34")
  void eachFailedRefreshIncrementsTheRefreshFailureCounterOnce() {
    registry.obtain("job").tryAcquire().orElseThrow();
    store.failNext(UPDATE, 2, StoreException.Kind.TRANSIENT, 503);
    scheduler.advance(Duration.ofSeconds(12));
    assertThat(meters.get(DimutexMetrics.REFRESH_FAILURES).counter().count()).isEqualTo(2.0);
    assertThat(meters.get(DimutexMetrics.LOST).counter().count()).isZero();
    assertThat(meters.get(DimutexMetrics.TAKEOVERS).counter().count()).isZero();
  }

  @Test
  @Claim("C-STA-36")
  @Claim("C-STA-37")
  void aStaleTakeoverIncrementsTheTakeoverCounterOnceAndALossTheLostCounter() {
    store.putForeign(
        "job",
        new LockRecord("dead", "elsewhere", "n-1", Duration.ofSeconds(60), Instant.EPOCH, 0));
    CompletableFuture<Lease> f = registry.obtain("job").acquireAsync(Duration.ofMinutes(5));
    scheduler.advance(Duration.ofSeconds(61));
    assertThat(f).isCompleted();
    assertThat(meters.get(DimutexMetrics.TAKEOVERS).counter().count()).isEqualTo(1.0);

    store.deleteBehindTheBack("job");
    scheduler.advance(Duration.ofSeconds(11));
    assertThat(meters.get(DimutexMetrics.LOST).counter().count()).isEqualTo(1.0);
  }
}
