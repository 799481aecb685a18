package dev.dimutex.engine;

import static dev.dimutex.testing.InMemoryLockStore.Op.CREATE;
import static dev.dimutex.testing.InMemoryLockStore.Op.READ;
import static dev.dimutex.testing.InMemoryLockStore.Op.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.Lease;
import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.StoreException;
import dev.dimutex.testing.Claim;
import dev.dimutex.testing.DeterministicScheduler;
import dev.dimutex.testing.FakeTime;
import dev.dimutex.testing.InMemoryLockStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The log levels SEMANTICS.md promises for the main events, read from the captured SLF4J output
 * (fake time, deterministic scheduler).
 */
class LoggingTest {

  private final FakeTime time = new FakeTime();
  private final DeterministicScheduler scheduler = new DeterministicScheduler(time);
  private final InMemoryLockStore store = new InMemoryLockStore(time.clock(Duration.ZERO));
  private final List<StoreLockRegistry> registries = new ArrayList<>();
  private LogCapture log;

  @BeforeEach
  void capture() {
    log = new LogCapture();
  }

  @AfterEach
  void closeAll() {
    registries.forEach(StoreLockRegistry::close);
    log.close();
  }

  private StoreLockRegistry registry(String owner) {
    StoreLockRegistry r =
        StoreLockRegistry.builder()
            .ownerId(owner)
            .clock(time.clock(Duration.ZERO))
            .timeSource(time)
            .scheduler(scheduler)
            .random(() -> 0.0)
            .sleeper(nanos -> time.advance(Duration.ofNanos(nanos)))
            .build(store);
    registries.add(r);
    return r;
  }

  private static LockRecord foreignRecord() {
    return new LockRecord(
        "dead-owner", "elsewhere", "n-1", Duration.ofSeconds(60), Instant.EPOCH, 0);
  }

  @Test
  @Claim("C-LOG-1")
  void aWaiterLogsAWarnAtItsThirdTransientFailureInARowAndNotBefore() {
    registry("holder").obtain("job").tryAcquire().orElseThrow();
    CompletableFuture<Lease> f = registry("b").obtain("job").acquireAsync(Duration.ofMinutes(5));
    store.failNext(READ, 3, StoreException.Kind.TRANSIENT, 503);
    store.failNext(CREATE, 3, StoreException.Kind.TRANSIENT, 503);
    long failedBefore = 0;
    while (warnsAboutStreak().isEmpty() && failedBefore < 1_000) {
      scheduler.advance(Duration.ofMillis(10));
      failedBefore++;
    }
    assertThat(warnsAboutStreak())
        .singleElement()
        .asString()
        .contains("dev.dimutex.engine.RemoteAttempt")
        .contains("Lock 'job'")
        .contains("3 transient store failures in a row");
    assertThat(log.lines("WARN")).filteredOn(l -> l.contains(" 2 transient")).isEmpty();
    assertThat(f).isNotDone();
  }

  private List<String> warnsAboutStreak() {
    return log.lines("WARN").stream().filter(l -> l.contains("transient store failures")).toList();
  }

  @Test
  @Claim("C-LOG-1")
  void twoTransientFailuresInARowLogNoWarn() {
    registry("holder").obtain("job").tryAcquire().orElseThrow();
    CompletableFuture<Lease> f = registry("b").obtain("job").acquireAsync(Duration.ofMinutes(5));
    store.failNext(READ, 2, StoreException.Kind.TRANSIENT, 503);
    store.failNext(CREATE, 2, StoreException.Kind.TRANSIENT, 503);
    scheduler.advance(Duration.ofSeconds(20));
    assertThat(log.lines("WARN")).isEmpty();
    assertThat(f).isNotDone();
  }

  @Test
  @Claim("C-LOG-2")
  void aTakeoverOfAStaleLockIsLoggedAtInfo() {
    store.putForeign("job", foreignRecord());
    CompletableFuture<Lease> f = registry("b").obtain("job").acquireAsync(Duration.ofMinutes(5));
    scheduler.advance(Duration.ofSeconds(61));
    assertThat(f).isCompleted();
    assertThat(log.lines("INFO"))
        .singleElement()
        .asString()
        .contains("Took over stale lock 'job'")
        .contains("dead-owner");
  }

  @Test
  @Claim("C-LOG-2")
  void forceReleaseIsLoggedAtInfo() {
    registry("holder").obtain("job").tryAcquire().orElseThrow();
    registry("operator").obtain("job").forceRelease();
    assertThat(log.lines("INFO"))
        .singleElement()
        .asString()
        .contains("Force-released lock 'job'")
        .contains("holder");
  }

  @Test
  @Claim("C-LOG-3")
  void aFailedRefreshIsLoggedAtWarn() {
    Lease lease = registry("holder").obtain("job").tryAcquire().orElseThrow();
    store.failNext(UPDATE, 1, StoreException.Kind.TRANSIENT, 503);
    scheduler.advance(Duration.ofSeconds(11));
    assertThat(log.lines("WARN"))
        .singleElement()
        .asString()
        .contains("Refresh of lock 'job' failed (1 in a row)");
    assertThat(lease.isHealthy()).isTrue();
  }

  @Test
  @Claim("C-LOG-3")
  @Claim("C-TRB-9")
  void aLostLeaseIsLoggedAtWarn() {
    Lease lease = registry("holder").obtain("job").tryAcquire().orElseThrow();
    store.deleteBehindTheBack("job");
    scheduler.advance(Duration.ofSeconds(11));
    assertThat(lease.isHealthy()).isFalse();
    assertThat(log.lines("WARN"))
        .anySatisfy(l -> assertThat(l).contains("WARN dev.dimutex.engine.").contains("'job'"));
    assertThat(log.lines("ERROR")).isEmpty();
  }
}
