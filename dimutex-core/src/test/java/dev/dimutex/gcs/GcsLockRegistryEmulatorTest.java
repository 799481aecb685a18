package dev.dimutex.gcs;

import static dev.dimutex.emulator.RequestMatcher.object;
import static dev.dimutex.emulator.RequestMatcher.operation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import dev.dimutex.Lease;
import dev.dimutex.LockConfigurationException;
import dev.dimutex.LockException;
import dev.dimutex.LockLostException;
import dev.dimutex.LockTimeoutException;
import dev.dimutex.emulator.GcsEmulator;
import dev.dimutex.emulator.LoggedRequest;
import dev.dimutex.emulator.Operation;
import dev.dimutex.emulator.RequestMatcher;
import dev.dimutex.emulator.junit.GcsEmulatorExtension;
import dev.dimutex.testing.Claim;
import dev.dimutex.testing.RecordingListener;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The GCS store on the emulator: exact request counts, lost responses, ABA, crashes, clock skew,
 * frozen holders, rate limits and outages, and a fuzz of read-modify-write under faults. Real time
 * with short TTLs; every bound is stated where it is asserted.
 */
@ExtendWith(GcsEmulatorExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GcsLockRegistryEmulatorTest {

  private static final String BUCKET = GcsEmulatorExtension.DEFAULT_BUCKET;
  private static final Duration SHORT_TTL = Duration.ofSeconds(2);
  private static final Duration FAST_REFRESH = Duration.ofMillis(300);
  private static final Duration BACKOFF_CAP = Duration.ofMillis(200);

  /** Slack for scheduling and the emulator on a busy 2-core machine. */
  private static final Duration SLACK = Duration.ofMillis(1500);

  private GcsEmulator emulator;
  private Storage storage;
  private String name;
  private final List<GcsLockRegistry> registries = new ArrayList<>();
  private final List<ScheduledExecutorService> schedulers = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @BeforeEach
  void setUp(GcsEmulator emulator, Storage storage, TestInfo info) {
    this.emulator = emulator;
    this.storage = storage;
    this.name = info.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime();
  }

  @AfterEach
  void tearDown() {
    emulator.faults().clear();
    threads.shutdownNow();
    for (GcsLockRegistry r : registries) {
      try {
        r.close();
      } catch (RuntimeException ignored) {
        // lost leases are expected in some tests
      }
    }
    schedulers.forEach(ScheduledExecutorService::shutdownNow);
  }

  private GcsLockRegistry.Builder builder() {
    return GcsLockRegistry.builder(storage, BUCKET);
  }

  private GcsLockRegistry shortTtl() {
    return register(
        builder()
            .ttl(SHORT_TTL)
            .refreshInterval(FAST_REFRESH)
            .backoff(Duration.ofMillis(20), BACKOFF_CAP, 2.0, 0.5));
  }

  private GcsLockRegistry register(GcsLockRegistry.Builder b) {
    GcsLockRegistry r = b.build();
    registries.add(r);
    return r;
  }

  private ScheduledExecutorService ownScheduler() {
    ScheduledExecutorService s = Executors.newScheduledThreadPool(2);
    schedulers.add(s);
    return s;
  }

  private RequestMatcher lockObject() {
    return object(BUCKET, "locks/" + name);
  }

  private List<LoggedRequest> lockRequests() {
    RequestMatcher m = lockObject();
    return emulator.requestLog().entries().stream().filter(e -> m.matches(e.request())).toList();
  }

  private Optional<Blob> lockBlob() {
    return Optional.ofNullable(storage.get(BlobId.of(BUCKET, "locks/" + name)));
  }

  /** Waits until the thread has started and parks (a local waiter queued behind the holder). */
  private static void awaitParked(AtomicReference<Thread> thread) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.get() == null
        || (thread.get().getState() != Thread.State.WAITING
            && thread.get().getState() != Thread.State.TIMED_WAITING)) {
      assertThat(System.nanoTime()).as("the waiter parks within 10 s").isLessThan(deadline);
      Thread.sleep(1);
    }
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  @Nested
  class RequestCounts {

    @Test
    @Claim("C-REQ-1")
    @Claim("C-REQ-9")
    void uncontendedAcquireIsOneConditionalCreate() {
      GcsLockRegistry r = register(builder());
      emulator.requestLog().clear();
      r.obtain(name).acquire(Duration.ofSeconds(5));
      assertThat(lockRequests())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.request().operation()).isEqualTo(Operation.OBJECT_INSERT);
                assertThat(e.request().query()).containsEntry("ifGenerationMatch", "0");
                assertThat(e.status()).isEqualTo(200);
              });
    }

    @Test
    @Claim("C-REQ-3")
    @Claim("C-REQ-9")
    @Claim("C-IAM-2")
    @Claim("C-CMP-3")
    @Claim("C-CMP-4")
    void releaseIsOneDeleteConditionedOnGenerationAndMetageneration() {
      Lease lease = register(builder()).obtain(name).acquire(Duration.ofSeconds(5));
      emulator.requestLog().clear();
      lease.release();
      assertThat(lockRequests())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.request().operation()).isEqualTo(Operation.OBJECT_DELETE);
                assertThat(e.request().query())
                    .containsEntry("ifGenerationMatch", Long.toString(lease.fencingToken()))
                    .containsEntry("ifMetagenerationMatch", "1");
              });
      assertThat(lockBlob()).isEmpty();
    }

    @Test
    @Claim("C-REQ-2")
    @Claim("C-REQ-9")
    @Claim("C-CMP-3")
    @Claim("C-CMP-4")
    void refreshIsOnePatchConditionedOnGenerationAndMetageneration() {
      Lease lease = register(builder()).obtain(name).acquire(Duration.ofSeconds(5));
      emulator.requestLog().clear();
      lease.refresh();
      assertThat(lockRequests())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.request().operation()).isEqualTo(Operation.OBJECT_PATCH);
                assertThat(e.request().query())
                    .containsEntry("ifGenerationMatch", Long.toString(lease.fencingToken()))
                    .containsEntry("ifMetagenerationMatch", "1");
              });
      assertThat(lockBlob().orElseThrow().getMetageneration()).isEqualTo(2);
    }

    @Test
    @Claim("C-OBJ-1")
    @Claim("C-SEC-1")
    void theLockObjectCarriesOwnerNonceTtlAndNoStore() {
      GcsLockRegistry r = register(builder().ownerId("owner-1"));
      r.obtain(name).acquire(Duration.ofSeconds(5));
      Blob blob = lockBlob().orElseThrow();
      assertThat(blob.getCacheControl()).isEqualTo("no-store");
      assertThat(blob.getMetadata())
          .containsEntry("dimutex-owner", "owner-1")
          .containsEntry("dimutex-ttl-ms", "60000")
          .containsKeys("dimutex-nonce", "dimutex-acquired-at", "dimutex-owner-description");
      // custom metadata only, all of it dimutex's own, and no body
      assertThat(blob.getMetadata().keySet())
          .isSubsetOf(
              "dimutex-owner",
              "dimutex-owner-description",
              "dimutex-nonce",
              "dimutex-ttl-ms",
              "dimutex-acquired-at",
              "dimutex-refreshes");
      assertThat(blob.getSize()).isZero();
      assertThat(blob.getContentType()).startsWith("text/plain");
    }

    @Test
    @Claim("C-REQ-5")
    @Claim("C-DEF-3")
    void aWaitingRegistryPollsWithReadsAtMostTwiceASecondAtTheDefaultBackoff() throws Exception {
      register(builder()).obtain(name).acquire(Duration.ofSeconds(5));
      GcsLockRegistry waiter = register(builder());
      Thread.sleep(100);
      emulator.requestLog().clear();
      assertThat(waiter.obtain(name).tryAcquire(Duration.ofSeconds(4))).isEmpty();
      // the holder's refreshes (PATCH) may fall in the window, since a lease's first refresh is
      // jittered over the whole interval; the waiter itself never patches
      List<LoggedRequest> reqs =
          lockRequests().stream()
              .filter(e -> e.request().operation() != Operation.OBJECT_PATCH)
              .toList();
      // 4 s of waiting: the first attempt is a create (412) and a read; then polls follow at
      // least 25, 50, 100, 200, 400 ms and then 500 ms apart (50 ms doubling to 1 s, jitter 0.5):
      // at most 11 in 4 s, and never more than 2 a second once capped
      assertThat(reqs).hasSizeLessThanOrEqualTo(2 + 11);
      long capReachedAt = reqs.get(0).startNanos() + 1_300_000_000L;
      long lastSecondsPolls = reqs.stream().filter(e -> e.startNanos() >= capReachedAt).count();
      // once capped (after about 1.3 s), at most 2 polls a second over the remaining 2.7 s
      assertThat(lastSecondsPolls).isLessThanOrEqualTo(6);
      assertThat(reqs)
          .filteredOn(e -> e.request().operation().isObjectMutation())
          .hasSizeLessThanOrEqualTo(1);
    }
  }

  @Nested
  class LocalCoalescing {

    private long requestsWhileWaiting(int threadCount) throws Exception {
      String lock = name + "-" + threadCount;
      register(builder()).obtain(lock).acquire(Duration.ofSeconds(5));
      // no jitter, so that one and 64 waiting threads poll on the same schedule
      GcsLockRegistry waiters =
          register(builder().backoff(Duration.ofMillis(20), BACKOFF_CAP, 2.0, 0.0));
      emulator.requestLog().clear();
      List<Future<Optional<Lease>>> futures = new ArrayList<>();
      for (int i = 0; i < threadCount; i++) {
        futures.add(threads.submit(() -> waiters.obtain(lock).tryAcquire(Duration.ofSeconds(2))));
      }
      for (Future<Optional<Lease>> f : futures) {
        assertThat(f.get(20, TimeUnit.SECONDS)).isEmpty();
      }
      return emulator.requestLog().count(object(BUCKET, "locks/" + lock));
    }

    @Test
    @Claim("C-REQ-11")
    @Claim("C-GUA-9")
    void sixtyFourWaitingThreadsCostNoMoreThanOneWaitingThread() throws Exception {
      long one = requestsWhileWaiting(1);
      long many = requestsWhileWaiting(64);
      // 2 s of waiting with a 200 ms backoff cap: about 15 polls either way
      assertThat(one).isBetween(3L, 30L);
      assertThat(many).isLessThanOrEqualTo((long) Math.ceil(one * 1.2) + 2);
    }

    @Test
    @Claim("C-API-4")
    void theReentrantLockViewTalksToGcsOnlyOnFirstLockAndLastUnlock() {
      java.util.concurrent.locks.Lock lock = register(builder()).obtain(name).asLock();
      emulator.requestLog().clear();
      lock.lock();
      lock.lock();
      lock.lock();
      lock.unlock();
      lock.unlock();
      assertThat(lockRequests())
          .extracting(e -> e.request().operation())
          .containsExactly(Operation.OBJECT_INSERT);
      lock.unlock();
      assertThat(lockRequests())
          .extracting(e -> e.request().operation())
          .containsExactly(Operation.OBJECT_INSERT, Operation.OBJECT_DELETE);
    }

    @Test
    @Claim("C-REQ-4")
    @Claim("C-HAND-1")
    @Claim("C-IAM-1")
    void aLocalWaiterIsHandedTheLockWithOneRequest() throws Exception {
      GcsLockRegistry r = register(builder());
      Lease first = r.obtain(name).acquire(Duration.ofSeconds(5));
      AtomicReference<Thread> waiting = new AtomicReference<>();
      Future<Lease> second =
          threads.submit(
              () -> {
                waiting.set(Thread.currentThread());
                return r.obtain(name).acquire(Duration.ofSeconds(10));
              });
      awaitParked(waiting);
      // the first refresh is jittered over the whole interval, so it may already have happened
      long metageneration = lockBlob().orElseThrow().getMetageneration();
      emulator.requestLog().clear();
      first.release();
      Lease got = second.get(10, TimeUnit.SECONDS);
      assertThat(lockRequests())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.request().operation()).isEqualTo(Operation.OBJECT_INSERT);
                assertThat(e.request().query())
                    .containsEntry("ifGenerationMatch", Long.toString(first.fencingToken()))
                    .containsEntry("ifMetagenerationMatch", Long.toString(metageneration));
              });
      assertThat(got.fencingToken()).isNotEqualTo(first.fencingToken());
      assertThat(lockBlob().orElseThrow().getGeneration()).isEqualTo(got.fencingToken());
    }
  }

  @Nested
  class AmbiguousOutcomes {

    @Test
    @Claim("C-AMB-1")
    @Claim("C-CMP-6")
    @Claim("C-GUA-3")
    void createAppliedButResponseDroppedHoldsTheLockWithoutWaitingForTheTtl() {
      GcsLockRegistry r = register(builder());
      emulator.faults().dropResponseNext(1, operation(Operation.OBJECT_INSERT).and(lockObject()));
      long start = System.nanoTime();
      Lease lease = r.obtain(name).tryAcquire().orElseThrow();
      assertThat(millisSince(start)).isLessThan(5_000);
      // the insert was sent once (the client's own retries are off) and one read resolved it
      assertThat(lockRequests())
          .extracting(e -> e.request().operation())
          .containsExactly(Operation.OBJECT_INSERT, Operation.OBJECT_GET);
      assertThat(lease.isHealthy()).isTrue();
      assertThat(lease.fencingToken()).isEqualTo(lockBlob().orElseThrow().getGeneration());
    }

    @Test
    @Claim("C-AMB-3")
    @Claim("C-CMP-6")
    @Claim("C-GUA-3")
    void deleteAppliedButResponseDroppedStillReleases() {
      Lease lease = register(builder()).obtain(name).acquire(Duration.ofSeconds(5));
      emulator.faults().dropResponseNext(1, operation(Operation.OBJECT_DELETE).and(lockObject()));
      lease.release();
      assertThat(lockBlob()).isEmpty();
      assertThat(register(builder()).obtain(name).tryAcquire()).isPresent();
    }

    @Test
    @Claim("C-AMB-2")
    @Claim("C-CMP-6")
    @Claim("C-GUA-3")
    void patchAppliedButResponseDroppedKeepsTheLeaseHealthy() {
      Lease lease = register(builder()).obtain(name).acquire(Duration.ofSeconds(5));
      emulator.faults().dropResponseNext(1, operation(Operation.OBJECT_PATCH).and(lockObject()));
      lease.refresh();
      assertThat(lease.isHealthy()).isTrue();
      lease.refresh();
      assertThat(lockBlob().orElseThrow().getMetageneration()).isEqualTo(3);
      lease.release();
      assertThat(lockBlob()).isEmpty();
    }
  }

  @Nested
  class Aba {

    @Test
    @Claim("C-LOST-2")
    @Claim("C-ABA-1")
    @Claim("C-CMP-3")
    @Claim("C-GUA-6")
    @Claim("C-GUA-7")
    @Claim("C-TRB-9")
    void aStaleClientsRefreshAndReleaseFailAfterRecreationAndLeaveTheSuccessorIntact() {
      Lease stale = register(builder()).obtain(name).acquire(Duration.ofSeconds(5));
      storage.delete(BlobId.of(BUCKET, "locks/" + name));
      Lease successor = register(builder()).obtain(name).acquire(Duration.ofSeconds(5));
      assertThat(lockBlob().orElseThrow().getMetageneration()).isEqualTo(1);

      assertThatThrownBy(stale::refresh).isInstanceOf(LockLostException.class);
      assertThatThrownBy(stale::release)
          .isInstanceOf(LockLostException.class)
          .hasMessageContaining("may have been touched by another holder");
      assertThat(lockBlob().orElseThrow().getGeneration()).isEqualTo(successor.fencingToken());
      assertThat(successor.isHealthy()).isTrue();
    }
  }

  @Nested
  class Crash {

    @Test
    @Claim("C-REL-7")
    @Claim("C-GUA-4")
    void aVanishedHolderIsTakenOverWithinTtlPlusBackoffCap() {
      ScheduledExecutorService crashing = ownScheduler();
      shortTtlWith(crashing).obtain(name).acquire(Duration.ofSeconds(5));
      crashing.shutdownNow(); // no more refreshes, no release
      long crashedAt = System.nanoTime();
      Lease taken = shortTtl().obtain(name).acquire(Duration.ofSeconds(15));
      long recoveryMs = millisSince(crashedAt);
      // bound: TTL after the last refresh (at most one refresh interval before the crash), plus
      // one backoff cap for the poll that notices it, plus slack
      assertThat(recoveryMs)
          .isGreaterThanOrEqualTo(SHORT_TTL.minus(FAST_REFRESH).toMillis())
          .isLessThanOrEqualTo(SHORT_TTL.plus(BACKOFF_CAP).plus(SLACK).toMillis());
      assertThat(taken.isHealthy()).isTrue();
    }

    @Test
    @Claim("C-REL-7")
    void aWaiterThatPolledThroughTheRefreshesTakesOverWithinTtlPlusBackoffCapOfTheLastOne()
        throws Exception {
      ScheduledExecutorService crashing = ownScheduler();
      long deadToken =
          shortTtlWith(crashing).obtain(name).acquire(Duration.ofSeconds(5)).fencingToken();
      GcsLockRegistry waiting = shortTtl();
      Future<Lease> waiter =
          threads.submit(() -> waiting.obtain(name).acquire(Duration.ofSeconds(20)));
      // the waiter has been polling while the holder refreshed at least twice
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (!polledAfterSecondRefresh() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(polledAfterSecondRefresh()).as("a poll after the second refresh").isTrue();
      crashing.shutdownNow(); // no more refreshes, no release

      Lease taken = waiter.get(20, TimeUnit.SECONDS);
      List<LoggedRequest> refreshes = successfulRefreshes();
      long lastRefresh = refreshes.get(refreshes.size() - 1).startNanos();
      LoggedRequest takeover =
          lockRequests().stream()
              .filter(e -> e.request().operation() == Operation.OBJECT_INSERT)
              .filter(e -> e.status() == 200 && e.startNanos() > lastRefresh)
              .findFirst()
              .orElseThrow();
      assertThat(takeover.request().query())
          .containsEntry("ifGenerationMatch", Long.toString(deadToken));
      // from the arrival of the holder's last successful refresh to the arrival of the takeover:
      // at least the TTL (less 50 ms for the millisecond `updated` timestamps), at most the TTL
      // plus one backoff cap plus slack for scheduling on a busy machine
      assertThat(Duration.ofNanos(takeover.startNanos() - lastRefresh))
          .isGreaterThanOrEqualTo(SHORT_TTL.minusMillis(50))
          .isLessThanOrEqualTo(SHORT_TTL.plus(BACKOFF_CAP).plus(SLACK));
      assertThat(taken.fencingToken()).isNotEqualTo(deadToken);
      assertThat(taken.isHealthy()).isTrue();
    }

    private List<LoggedRequest> successfulRefreshes() {
      return lockRequests().stream()
          .filter(e -> e.request().operation() == Operation.OBJECT_PATCH && e.status() == 200)
          .toList();
    }

    private boolean polledAfterSecondRefresh() {
      List<LoggedRequest> refreshes = successfulRefreshes();
      if (refreshes.size() < 2) {
        return false;
      }
      long second = refreshes.get(1).startNanos();
      return lockRequests().stream()
          .anyMatch(
              e -> e.request().operation() == Operation.OBJECT_GET && e.startNanos() > second);
    }

    @Test
    void twoRacingTakersProduceExactlyOneWinner() throws Exception {
      ScheduledExecutorService crashing = ownScheduler();
      long deadToken =
          shortTtlWith(crashing).obtain(name).acquire(Duration.ofSeconds(5)).fencingToken();
      crashing.shutdownNow();
      GcsLockRegistry b = shortTtl();
      GcsLockRegistry c = shortTtl();
      CountDownLatch go = new CountDownLatch(1);
      Future<Optional<Lease>> fb =
          threads.submit(
              () -> {
                go.await();
                return b.obtain(name).tryAcquire(Duration.ofSeconds(6));
              });
      Future<Optional<Lease>> fc =
          threads.submit(
              () -> {
                go.await();
                return c.obtain(name).tryAcquire(Duration.ofSeconds(6));
              });
      go.countDown();
      List<Optional<Lease>> results =
          List.of(fb.get(20, TimeUnit.SECONDS), fc.get(20, TimeUnit.SECONDS));
      assertThat(results).filteredOn(Optional::isPresent).hasSize(1);
      Lease winner = results.stream().flatMap(Optional::stream).findFirst().orElseThrow();
      assertThat(winner.fencingToken()).isNotEqualTo(deadToken);
      assertThat(winner.isHealthy()).isTrue();
    }

    private GcsLockRegistry shortTtlWith(ScheduledExecutorService s) {
      return register(
          builder()
              .ttl(SHORT_TTL)
              .refreshInterval(FAST_REFRESH)
              .backoff(Duration.ofMillis(20), BACKOFF_CAP, 2.0, 0.5)
              .scheduler(s));
    }
  }

  @Nested
  class ClockSkew {

    private GcsLockRegistry skewed(Duration skew, ScheduledExecutorService s) {
      GcsLockRegistry.Builder b =
          builder()
              .ttl(SHORT_TTL)
              .refreshInterval(FAST_REFRESH)
              .backoff(Duration.ofMillis(20), BACKOFF_CAP, 2.0, 0.5)
              .clock(Clock.offset(Clock.systemUTC(), skew));
      if (s != null) {
        b.scheduler(s);
      }
      return register(b);
    }

    @Test
    @Claim("C-REL-3")
    @Claim("C-REL-6")
    @Claim("C-CMP-1")
    @Claim("C-GUA-1")
    @Claim("C-GUA-5")
    void registriesTenMinutesAheadOrBehindNeverTakeOverALiveLock() throws Exception {
      Lease held =
          skewed(Duration.ofMinutes(-10), null).obtain(name).acquire(Duration.ofSeconds(5));
      GcsLockRegistry ahead = skewed(Duration.ofMinutes(10), null);
      GcsLockRegistry behind = skewed(Duration.ofMinutes(-10), null);
      // three TTLs of waiting
      Future<Optional<Lease>> a =
          threads.submit(() -> ahead.obtain(name).tryAcquire(Duration.ofSeconds(6)));
      Future<Optional<Lease>> b =
          threads.submit(() -> behind.obtain(name).tryAcquire(Duration.ofSeconds(6)));
      assertThat(a.get(20, TimeUnit.SECONDS)).isEmpty();
      assertThat(b.get(20, TimeUnit.SECONDS)).isEmpty();
      assertThat(held.isHealthy()).isTrue();
      assertThat(ahead.obtain(name).isLocked()).isTrue();
    }

    @Test
    @Claim("C-REL-6")
    @Claim("C-REL-7")
    @Claim("C-CMP-1")
    @Claim("C-GUA-4")
    @Claim("C-GUA-5")
    void aSkewedRegistryStillRecoversADeadLockWithinTtlPlusBackoffCap() {
      ScheduledExecutorService crashing = ownScheduler();
      skewed(Duration.ofMinutes(10), crashing).obtain(name).acquire(Duration.ofSeconds(5));
      crashing.shutdownNow();
      long crashedAt = System.nanoTime();
      Lease taken =
          skewed(Duration.ofMinutes(-10), null).obtain(name).acquire(Duration.ofSeconds(15));
      assertThat(millisSince(crashedAt))
          .isLessThanOrEqualTo(SHORT_TTL.plus(BACKOFF_CAP).plus(SLACK).toMillis());
      assertThat(taken.isHealthy()).isTrue();
    }
  }

  @Nested
  class FrozenHolder {

    @Test
    @Claim("C-LOST-2")
    @Claim("C-ABA-1")
    @Claim("C-CMP-3")
    @Claim("C-GUA-6")
    @Claim("C-GUA-7")
    @Claim("C-TRB-9")
    void losesTheLockReportsUnhealthyAndCannotDeleteTheNewOwnersObject() throws Exception {
      ScheduledExecutorService single = Executors.newSingleThreadScheduledExecutor();
      schedulers.add(single);
      RecordingListener frozenEvents = new RecordingListener(System::nanoTime);
      GcsLockRegistry frozenRegistry =
          register(
              builder()
                  .ttl(SHORT_TTL)
                  .refreshInterval(FAST_REFRESH)
                  .scheduler(single)
                  .listener(frozenEvents));
      Lease frozen = frozenRegistry.obtain(name).acquire(Duration.ofSeconds(5));
      CountDownLatch thaw = new CountDownLatch(1);
      single.execute(
          () -> {
            try {
              thaw.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      Lease successor = shortTtl().obtain(name).acquire(Duration.ofSeconds(15));
      assertThat(frozen.isHealthy()).isFalse();
      assertThat(frozen.fencingToken()).isNotEqualTo(successor.fencingToken());
      assertThatThrownBy(frozen::checkHealthy)
          .isInstanceOf(LockLostException.class)
          .hasMessageContaining("may have been touched by another holder");
      assertThatThrownBy(frozen::release).isInstanceOf(LockLostException.class);
      thaw.countDown();
      assertThat(lockBlob().orElseThrow().getGeneration()).isEqualTo(successor.fencingToken());
      assertThat(successor.isHealthy()).isTrue();
      assertThat(frozenEvents.of("lost")).hasSize(1);
    }
  }

  @Nested
  class RateLimitsAndOutages {

    @Test
    @Claim("C-REQ-10")
    @Claim("C-GUA-9")
    void aStormWhileWaitingNeitherBreaksExclusionNorSpins() throws Exception {
      Lease held = shortTtl().obtain(name).acquire(Duration.ofSeconds(5));
      emulator.faults().failRate(0.2, 429, lockObject());
      emulator.faults().failRate(0.2, 503, lockObject());
      emulator.requestLog().clear();
      assertThat(shortTtl().obtain(name).tryAcquire(Duration.ofSeconds(3))).isEmpty();
      assertThat(held.isHealthy()).isTrue();
      // no spin: a waiter polls at most every 20-200 ms and the holder refreshes every 300 ms
      assertThat(lockRequests()).hasSizeLessThan(150);
      emulator.faults().clear();
      held.release();
    }

    @Test
    void aRefreshStormThatEndsInTimeKeepsTheLeaseHealthy() throws Exception {
      RecordingListener events = new RecordingListener(System::nanoTime);
      GcsLockRegistry r =
          register(
              builder()
                  .ttl(Duration.ofSeconds(3))
                  .refreshInterval(FAST_REFRESH)
                  .backoff(Duration.ofMillis(20), BACKOFF_CAP, 2.0, 0.5)
                  .listener(events));
      Lease lease = r.obtain(name).acquire(Duration.ofSeconds(5));
      emulator.faults().failNext(4, 503, operation(Operation.OBJECT_PATCH).and(lockObject()));
      Thread.sleep(1_500);
      assertThat(events.of("refreshFailed")).hasSizeGreaterThanOrEqualTo(1);
      assertThat(events.of("lost")).isEmpty();
      assertThat(lease.isHealthy()).isTrue();
      assertThat(lockBlob().orElseThrow().getMetageneration()).isGreaterThan(1);
      lease.release();
    }

    @Test
    @Claim("C-REQ-10")
    @Claim("C-GUA-9")
    void contendingRegistriesUnderThePerObjectWriteLimitKeepExclusionAndFinish() throws Exception {
      emulator.faults().objectMutationRateLimit(5.0);
      AtomicInteger inside = new AtomicInteger();
      AtomicInteger overlap = new AtomicInteger();
      AtomicInteger done = new AtomicInteger();
      List<Future<?>> futures = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        GcsLockRegistry registry = shortTtl();
        for (int t = 0; t < 2; t++) {
          futures.add(
              threads.submit(
                  () -> {
                    for (int i = 0; i < 3; i++) {
                      try (Lease lease = registry.obtain(name).acquire(Duration.ofSeconds(40))) {
                        if (inside.incrementAndGet() > 1) {
                          overlap.incrementAndGet();
                        }
                        lease.checkHealthy();
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
      assertThat(overlap.get()).isZero();
      assertThat(done.get()).isEqualTo(18);
      assertThat(emulator.requestLog().entries())
          .filteredOn(e -> e.status() == 429)
          .as("the limit was actually hit")
          .isNotEmpty();
    }

    @Test
    void aReleaseDuringA429StormStillReleases() {
      Lease lease = shortTtl().obtain(name).acquire(Duration.ofSeconds(5));
      emulator.faults().failNext(3, 429, operation(Operation.OBJECT_DELETE).and(lockObject()));
      lease.release();
      assertThat(lockBlob()).isEmpty();
    }

    @Test
    void anAcquisitionDuringA503OutageWaitsAndSucceedsWhenItEnds() {
      emulator.faults().failNext(5, 503, lockObject());
      Lease lease = shortTtl().obtain(name).acquire(Duration.ofSeconds(10));
      assertThat(lease.isHealthy()).isTrue();
    }
  }

  @Nested
  class Configuration {

    @Test
    @Claim("C-ERR-4")
    @Claim("C-GUA-8")
    @Claim("C-TRB-10")
    void aMissingBucketIsAConfigurationErrorNamingBucketAndLockNotATimeout() {
      GcsLockRegistry r = register(GcsLockRegistry.builder(storage, "no-such-bucket"));
      long start = System.nanoTime();
      assertThatThrownBy(() -> r.obtain(name).acquire(Duration.ofSeconds(30)))
          .isInstanceOf(LockConfigurationException.class)
          .hasMessageContaining("no-such-bucket")
          .hasMessageContaining(name);
      assertThat(millisSince(start)).isLessThan(5_000);
      assertThatThrownBy(r::verifyAccess)
          .isInstanceOf(LockConfigurationException.class)
          .hasMessageContaining("no-such-bucket");
    }

    @Test
    @Claim("C-ERR-4")
    @Claim("C-GUA-8")
    @Claim("C-TRB-10")
    void aPermissionErrorIsAConfigurationErrorAtOnceAndNeverRetried() {
      GcsLockRegistry r = register(builder());
      emulator.faults().failNext(1, 403, lockObject());
      assertThatThrownBy(() -> r.obtain(name).acquire(Duration.ofSeconds(30)))
          .isInstanceOf(LockConfigurationException.class)
          .hasMessageContaining("permission denied (403)")
          .hasMessageContaining(BUCKET)
          .hasMessageContaining(name);
      assertThat(lockRequests()).hasSize(1);
    }

    @Test
    @Claim("C-REQ-9")
    @Claim("C-IAM-2")
    @Claim("C-CMP-4")
    @Claim("C-SEC-2")
    void forceReleaseIsOneReadAndOneDeleteConditionedOnTheObservedGeneration() {
      Lease held = register(builder()).obtain(name).acquire(Duration.ofSeconds(5));
      emulator.requestLog().clear();
      register(builder()).obtain(name).forceRelease();
      assertThat(lockRequests())
          .extracting(e -> e.request().operation())
          .containsExactly(Operation.OBJECT_GET, Operation.OBJECT_DELETE);
      assertThat(lockRequests().get(1).request().query())
          .containsEntry("ifGenerationMatch", Long.toString(held.fencingToken()))
          .doesNotContainKey("ifMetagenerationMatch");
      assertThat(lockBlob()).isEmpty();
    }

    @Test
    @Claim("C-IAM-3")
    void verifyAccessIsOneBucketRead() {
      GcsLockRegistry r = register(builder());
      emulator.requestLog().clear();
      r.verifyAccess();
      assertThat(emulator.requestLog().count(Operation.BUCKET_GET)).isEqualTo(1);
      assertThat(emulator.requestLog().entries()).hasSize(1);
    }
  }

  @Nested
  class Fuzz {

    @RepeatedTest(3)
    @Claim("C-REL-1")
    void severalRegistriesIncrementACounterExactlyUnderFaults() throws Exception {
      BlobId counter = BlobId.of(BUCKET, "fuzz-counter-" + System.nanoTime());
      storage.create(BlobInfo.newBuilder(counter).build(), "0".getBytes(StandardCharsets.UTF_8));
      emulator.faults().failRate(0.15, 503, lockObject());
      emulator.faults().dropRate(0.1, lockObject());
      int registriesCount = 3;
      int threadsPerRegistry = 3;
      int incrementsPerThread = 4;
      AtomicInteger inside = new AtomicInteger();
      AtomicInteger overlap = new AtomicInteger();
      AtomicInteger unconfirmedReleases = new AtomicInteger();
      List<Future<?>> futures = new ArrayList<>();
      for (int r = 0; r < registriesCount; r++) {
        GcsLockRegistry registry =
            register(
                builder()
                    .ttl(Duration.ofSeconds(5))
                    .refreshInterval(Duration.ofMillis(500))
                    .backoff(Duration.ofMillis(10), Duration.ofMillis(150), 2.0, 0.5));
        for (int t = 0; t < threadsPerRegistry; t++) {
          futures.add(
              threads.submit(
                  () -> {
                    for (int i = 0; i < incrementsPerThread; i++) {
                      Lease lease = registry.obtain(name).acquire(Duration.ofSeconds(40));
                      try {
                        if (inside.incrementAndGet() > 1) {
                          overlap.incrementAndGet();
                        }
                        int value =
                            Integer.parseInt(
                                new String(storage.readAllBytes(counter), StandardCharsets.UTF_8));
                        Thread.sleep(ThreadLocalRandom.current().nextInt(5));
                        lease.checkHealthy();
                        storage.create(
                            BlobInfo.newBuilder(counter).build(),
                            Integer.toString(value + 1).getBytes(StandardCharsets.UTF_8));
                        inside.decrementAndGet();
                      } finally {
                        try {
                          lease.release();
                        } catch (LockLostException lost) {
                          throw lost;
                        } catch (LockException unconfirmed) {
                          // the faults outlasted the release's retries: documented, the lock
                          // expires after its TTL and the next holder waits for that
                          unconfirmedReleases.incrementAndGet();
                        }
                      }
                    }
                    return null;
                  }));
        }
      }
      for (Future<?> f : futures) {
        f.get(55, TimeUnit.SECONDS);
      }
      emulator.faults().clear();
      int total = registriesCount * threadsPerRegistry * incrementsPerThread;
      assertThat(overlap.get()).as("unconfirmed releases: %d", unconfirmedReleases.get()).isZero();
      assertThat(new String(storage.readAllBytes(counter), StandardCharsets.UTF_8))
          .isEqualTo(Integer.toString(total));
      assertThat(emulator.requestLog().entries())
          .filteredOn(e -> e.faultInjected() || e.responseDropped())
          .isNotEmpty();
    }
  }

  @Test
  void timeoutWhileHeldIsALockTimeoutException() {
    register(builder()).obtain(name).acquire(Duration.ofSeconds(5));
    assertThatThrownBy(() -> register(builder()).obtain(name).acquire(Duration.ofMillis(200)))
        .isInstanceOf(LockTimeoutException.class);
  }
}
