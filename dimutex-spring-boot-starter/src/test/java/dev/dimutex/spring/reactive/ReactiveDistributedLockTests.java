package dev.dimutex.spring.reactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dimutex.InspectableLockRegistry;
import dev.dimutex.Lease;
import dev.dimutex.LeaseInfo;
import dev.dimutex.LockTimeoutException;
import dev.dimutex.emulator.EmulatorStorage;
import dev.dimutex.gcs.GcsLockRegistry;
import dev.dimutex.spring.TestEmulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@SpringBootTest(
    classes = ReactiveTestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "dimutex.gcs.bucket=" + TestEmulator.BUCKET,
      "dimutex.gcs.prefix=rx/",
      "dimutex.ttl=10s",
      "spring.sql.init.mode=never"
    })
class ReactiveDistributedLockTests {

  private static final Duration BOUND = Duration.ofSeconds(20);

  /** Another instance of the application: same bucket and prefix, its own owner. */
  private static GcsLockRegistry otherInstance;

  @Autowired ReactiveTestApplication.ReactiveJobs jobs;
  @Autowired InspectableLockRegistry registry;

  @DynamicPropertySource
  static void emulator(DynamicPropertyRegistry properties) {
    properties.add("dimutex.gcs.emulator-host", TestEmulator::hostPort);
  }

  @BeforeAll
  static void startOtherInstance() {
    otherInstance =
        GcsLockRegistry.builder(EmulatorStorage.create(TestEmulator.get()), TestEmulator.BUCKET)
            .prefix("rx/")
            .ttl(Duration.ofSeconds(10))
            .build();
  }

  @AfterAll
  static void stopOtherInstance() {
    otherInstance.close();
  }

  @BeforeEach
  void observe() {
    jobs.observeWith(otherInstance);
    jobs.calls().clear();
  }

  private List<String> held() {
    return registry.heldLeases().stream().map(LeaseInfo::name).toList();
  }

  /** Polls until this instance no longer holds the lock; returns how long that took. */
  private long millisUntilReleased(String name) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(10);
    while (held().contains(name) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(held()).doesNotContain(name);
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  @Nested
  class Holding {

    @Test
    void threeConcurrentSubscriptionsRunOneAtATimeWithTheLockObjectPresent() {
      List<Long> tokens =
          Flux.merge(jobs.serial(), jobs.serial(), jobs.serial()).collectList().block(BOUND);
      assertThat(tokens).hasSize(3).doesNotContain(-1L).doesNotHaveDuplicates();
      assertThat(jobs.maxActive()).isEqualTo(1);
      assertThat(held()).doesNotContain("rx-serial");
    }

    @Test
    void fluxEmittingOverTimeIsCoveredForItsWholeLife() {
      List<Boolean> lockedAtEachElement = jobs.ticks(5).collectList().block(BOUND);
      assertThat(lockedAtEachElement).hasSize(5).containsOnly(true);
      assertThat(held()).as("released before completion is signalled").doesNotContain("rx-ticks");
      assertThat(otherInstance.obtain("rx-ticks").isLocked()).isFalse();
    }

    @Test
    void cancellingMidStreamReleasesTheLockAtOnce() throws Exception {
      List<Long> firstTwo = jobs.endless().take(2).collectList().block(BOUND);
      assertThat(firstTwo).containsExactly(0L, 1L);
      assertThat(millisUntilReleased("rx-endless")).isLessThan(2000);
      assertThat(otherInstance.obtain("rx-endless").tryAcquire())
          .hasValueSatisfying(Lease::release);
    }

    @Test
    void disposingASubscriptionReleasesTheLockAtOnce() throws Exception {
      Disposable subscription = jobs.endless().subscribe();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!held().contains("rx-endless") && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(held()).contains("rx-endless");
      subscription.dispose();
      assertThat(millisUntilReleased("rx-endless")).isLessThan(2000);
    }

    @Test
    void anErrorReleasesTheLockBeforeItIsSignalled() {
      assertThatThrownBy(() -> jobs.failing().block(BOUND)).hasMessage("reactive work failed");
      assertThat(held()).doesNotContain("rx-failing");
      assertThat(otherInstance.obtain("rx-failing").tryAcquire())
          .hasValueSatisfying(Lease::release);
    }

    @Test
    void aMonoThatIsNeverSubscribedNeverTakesTheLock() {
      Mono<String> unused = jobs.lazy();
      assertThat(unused).isNotNull();
      assertThat(jobs.calls()).as("the method body runs at subscription").isEmpty();
      assertThat(held()).doesNotContain("rx-lazy");
      assertThat(otherInstance.obtain("rx-lazy").isLocked()).isFalse();
      assertThat(unused.block(BOUND)).isEqualTo("ran");
      assertThat(jobs.calls()).containsExactly("lazy");
    }

    @Test
    void theLeaseIsReachableOnTheSubscribingThreadAndThroughTheReactorContext() {
      assertThat(jobs.leaseNames("7").block(BOUND)).isEqualTo("rx-lease-7|rx-lease-7");
    }

    @Test
    void aLockedMonoOfTheSameNameInsideTheLockedPipelineRunsUnderTheOuterLease() {
      long[] tokens = jobs.outer(jobs).block(BOUND);
      assertThat(tokens).isNotNull();
      assertThat(tokens[1]).isEqualTo(tokens[0]);
    }

    @Test
    void resubscribingRunsTheMethodAndTakesTheLockAgain() {
      Mono<String> mono = jobs.lazy();
      assertThat(mono.block(BOUND)).isEqualTo("ran");
      assertThat(mono.block(BOUND)).isEqualTo("ran");
      assertThat(jobs.calls()).containsExactly("lazy", "lazy");
    }
  }

  @Nested
  class WhenTheLockIsHeldElsewhere {

    @Test
    void skipGivesAnEmptyMonoAndAnEmptyFluxWithoutRunningTheMethod() {
      try (Lease busy = otherInstance.obtain("rx-busy").acquire(Duration.ofSeconds(5))) {
        assertThat(jobs.skipMono().block(BOUND)).isNull();
        assertThat(jobs.skipFlux().collectList().block(BOUND)).isEmpty();
        assertThat(jobs.calls()).isEmpty();
        assertThat(busy.isHealthy()).isTrue();
      }
    }

    @Test
    void cancellingWhileWaitingAbandonsTheAcquisition() throws Exception {
      Lease busy = otherInstance.obtain("rx-busy").acquire(Duration.ofSeconds(5));
      Disposable waiting = jobs.waitLong().subscribe();
      Thread.sleep(300);
      waiting.dispose();
      busy.release();
      Thread.sleep(1500);
      assertThat(held()).as("no lease taken after the cancel").doesNotContain("rx-busy");
      assertThat(jobs.calls()).isEmpty();
      assertThat(otherInstance.obtain("rx-busy").tryAcquire()).hasValueSatisfying(Lease::release);
    }

    @Test
    void failSignalsLockTimeoutExceptionWithoutRunningTheMethod() {
      try (Lease busy = otherInstance.obtain("rx-busy").acquire(Duration.ofSeconds(5))) {
        assertThatThrownBy(() -> jobs.failMono().block(BOUND))
            .isInstanceOf(LockTimeoutException.class)
            .hasMessageContaining("'rx-busy'")
            .hasMessageContaining("ReactiveJobs.failMono()");
        assertThat(jobs.calls()).isEmpty();
        assertThat(busy.isHealthy()).isTrue();
      }
    }
  }
}
