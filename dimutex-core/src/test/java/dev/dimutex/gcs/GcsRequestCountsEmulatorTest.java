package dev.dimutex.gcs;

import static dev.dimutex.emulator.RequestMatcher.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Storage;
import dev.dimutex.Lease;
import dev.dimutex.emulator.GcsEmulator;
import dev.dimutex.emulator.LoggedRequest;
import dev.dimutex.emulator.Operation;
import dev.dimutex.emulator.RequestMatcher;
import dev.dimutex.emulator.junit.GcsEmulatorExtension;
import dev.dimutex.testing.Claim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The request counts of SEMANTICS.md that involve a second party, on the emulator's GCS semantics
 * and counted from its request log: a contended one-shot try, a stale takeover found by polling,
 * and a one-shot takeover of a lock the store's own timestamps prove expired. The dead holder is a
 * registry whose caller-supplied scheduler was shut down (no refresh, no release).
 */
@ExtendWith(GcsEmulatorExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GcsRequestCountsEmulatorTest {

  private static final String BUCKET = GcsEmulatorExtension.DEFAULT_BUCKET;
  private static final Duration TTL = Duration.ofSeconds(2);

  private GcsEmulator emulator;
  private Storage storage;
  private String name;
  private final List<GcsLockRegistry> registries = new ArrayList<>();
  private final List<ScheduledExecutorService> schedulers = new ArrayList<>();

  @BeforeEach
  void setUp(GcsEmulator emulator, Storage storage, TestInfo info) {
    this.emulator = emulator;
    this.storage = storage;
    this.name = info.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime();
  }

  @AfterEach
  void tearDown() {
    for (GcsLockRegistry r : registries) {
      try {
        r.close();
      } catch (RuntimeException ignored) {
        // the dead holder's lease is lost
      }
    }
    schedulers.forEach(ScheduledExecutorService::shutdownNow);
  }

  private GcsLockRegistry registry(ScheduledExecutorService scheduler) {
    GcsLockRegistry.Builder b =
        GcsLockRegistry.builder(storage, BUCKET)
            .ttl(TTL)
            .refreshInterval(Duration.ofMillis(300))
            .backoff(Duration.ofMillis(20), Duration.ofMillis(200), 2.0, 0.5);
    if (scheduler != null) {
      b.scheduler(scheduler);
    }
    GcsLockRegistry r = b.build();
    registries.add(r);
    return r;
  }

  private GcsLockRegistry registry() {
    return registry(null);
  }

  /** Acquires the lock in a registry that then dies: its scheduler stops, nothing is released. */
  private long deadHolder() {
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    schedulers.add(scheduler);
    long token = registry(scheduler).obtain(name).acquire(Duration.ofSeconds(5)).fencingToken();
    scheduler.shutdownNow();
    return token;
  }

  private List<String> lockRequests() {
    RequestMatcher lock = object(BUCKET, "locks/" + name);
    return emulator.requestLog().entries().stream()
        .filter(e -> lock.matches(e.request()))
        .map(GcsRequestCountsEmulatorTest::describe)
        .toList();
  }

  /** An entry as "OPERATION status" plus the generation precondition of an insert. */
  private static String describe(LoggedRequest e) {
    String text = e.request().operation() + " " + e.status();
    if (e.request().operation() == Operation.OBJECT_INSERT) {
      text += " ifGenerationMatch=" + e.request().query().get("ifGenerationMatch");
    }
    return text;
  }

  @Test
  @Claim("C-REQ-8")
  void tryingOnceOnAHeldLockIsTheRefusedCreateAndOneRead() {
    registry().obtain(name).acquire(Duration.ofSeconds(5));
    emulator.requestLog().clear();

    Optional<Lease> second = registry().obtain(name).tryAcquire();

    assertThat(second).isEmpty();
    assertThat(lockRequests())
        .containsExactly("OBJECT_INSERT 412 ifGenerationMatch=0", "OBJECT_GET 200");
  }

  @Test
  @Claim("C-REQ-6")
  @Claim("C-IAM-1")
  void aStaleTakeoverFoundByPollingIsThatReadAndOneCreateConditionedOnTheDeadGeneration() {
    long dead = deadHolder();
    emulator.requestLog().clear();

    Lease taken = registry().obtain(name).acquire(Duration.ofSeconds(15));

    List<String> requests = lockRequests();
    assertThat(taken.isHealthy()).isTrue();
    assertThat(requests).hasSizeGreaterThanOrEqualTo(3);
    assertThat(requests.get(0)).isEqualTo("OBJECT_INSERT 412 ifGenerationMatch=0");
    // every request between the first attempt and the takeover is a poll: reads only
    assertThat(requests.subList(1, requests.size() - 1)).containsOnly("OBJECT_GET 200");
    assertThat(requests.subList(requests.size() - 2, requests.size()))
        .containsExactly("OBJECT_GET 200", "OBJECT_INSERT 200 ifGenerationMatch=" + dead);
  }

  @Test
  @Claim("C-REQ-7")
  void aFirstAttemptOnALockTheStoresTimestampsProveExpiredTakesItOverInThreeRequests()
      throws InterruptedException {
    long dead = deadHolder();
    // Real time must pass for the dead holder's TTL to run out on the emulator's clock: the
    // object's last write is at most the crash; 2.5 s is the TTL (2 s) plus 0.5 s of margin.
    Thread.sleep(TTL.plusMillis(500).toMillis());
    GcsLockRegistry taker = registry();
    // one write of its own gives the taker a fresh store timestamp (rule 2 of SEMANTICS.md)
    taker.obtain(name + "-other").acquire(Duration.ofSeconds(5)).release();
    emulator.requestLog().clear();

    Optional<Lease> taken = taker.obtain(name).tryAcquire();

    assertThat(taken).isPresent();
    assertThat(taken.orElseThrow().fencingToken()).isNotEqualTo(dead);
    assertThat(lockRequests())
        .containsExactly(
            "OBJECT_INSERT 412 ifGenerationMatch=0",
            "OBJECT_GET 200",
            "OBJECT_INSERT 200 ifGenerationMatch=" + dead);
  }
}
