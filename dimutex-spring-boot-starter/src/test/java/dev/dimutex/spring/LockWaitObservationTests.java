package dev.dimutex.spring;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dimutex.Lease;
import dev.dimutex.LockRegistry;
import dev.dimutex.LockTimeoutException;
import dev.dimutex.Mutex;
import dev.dimutex.emulator.EmulatorStorage;
import dev.dimutex.gcs.GcsLockRegistry;
import dev.dimutex.spring.actuate.LockObservations;
import dev.dimutex.spring.autoconfigure.DimutexAutoConfiguration;
import dev.dimutex.spring.autoconfigure.DimutexEmulatorStorageAutoConfiguration;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code dimutex.lock.wait} observation for every kind of {@code @DistributedLock} method. */
class LockWaitObservationTests {

  private static final Duration BOUND = Duration.ofSeconds(20);

  private final IllegalStateException mutexBug = new IllegalStateException("mutex bug");

  private final TestObservationRegistry observations = TestObservationRegistry.create();

  /** The acquisitions that {@link #brokenOrPendingStore} left pending. */
  private final List<CompletableFuture<?>> pending = new CopyOnWriteArrayList<>();

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  DimutexEmulatorStorageAutoConfiguration.class,
                  DimutexAutoConfiguration.class))
          .withPropertyValues(
              "dimutex.gcs.bucket=" + TestEmulator.BUCKET,
              "dimutex.gcs.prefix=wait-observation/",
              "dimutex.gcs.emulator-host=" + TestEmulator.hostPort())
          .withBean(DistributedLockObserver.class, () -> new LockObservations(observations))
          .withBean(ObservedJobs.class);

  /**
   * A registry whose "broken-" locks throw when acquired and whose "pending-" locks never finish
   * acquiring.
   */
  private LockRegistry brokenOrPendingStore() {
    return new LockRegistry() {
      @Override
      public Mutex obtain(String name) {
        return (Mutex)
            Proxy.newProxyInstance(
                Mutex.class.getClassLoader(),
                new Class<?>[] {Mutex.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "name" -> name;
                      case "tryAcquire" -> throw mutexBug;
                      case "acquireAsync" -> {
                        if (name.startsWith("broken-")) {
                          yield CompletableFuture.failedFuture(mutexBug);
                        }
                        CompletableFuture<?> future = new CompletableFuture<>();
                        pending.add(future);
                        yield future;
                      }
                      case "toString" -> "mutex " + name;
                      default -> throw new UnsupportedOperationException(method.getName());
                    });
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void aMonoMethodGivesAWaitObservationTaggedWithTheTemplateAndOutcomeAndAHold() {
    runner.run(
        context -> {
          assertThat(context.getBean(ObservedJobs.class).mono().block(BOUND)).isEqualTo("mono");

          assertThat(observations)
              .hasNumberOfObservationsWithNameEqualTo(LockObservations.WAIT, 1)
              .hasNumberOfObservationsWithNameEqualTo(LockObservations.HOLD, 1)
              .forAllObservationsWithNameEqualTo(
                  LockObservations.WAIT,
                  wait ->
                      wait.hasLowCardinalityKeyValue("lock", "observed-mono")
                          .hasLowCardinalityKeyValue("outcome", "acquired")
                          .doesNotHaveError())
              .forAllObservationsWithNameEqualTo(
                  LockObservations.HOLD,
                  hold -> hold.hasLowCardinalityKeyValue("lock", "observed-mono"));
        });
  }

  @Test
  void aFluxMethodGivesAWaitObservationTaggedWithTheTemplateAndOutcomeAndAHold() {
    runner.run(
        context -> {
          assertThat(context.getBean(ObservedJobs.class).flux().collectList().block(BOUND))
              .containsExactly(1, 2, 3);

          assertThat(observations)
              .hasNumberOfObservationsWithNameEqualTo(LockObservations.WAIT, 1)
              .hasNumberOfObservationsWithNameEqualTo(LockObservations.HOLD, 1)
              .forAllObservationsWithNameEqualTo(
                  LockObservations.WAIT,
                  wait ->
                      wait.hasLowCardinalityKeyValue("lock", "observed-flux")
                          .hasLowCardinalityKeyValue("outcome", "acquired"))
              .forAllObservationsWithNameEqualTo(
                  LockObservations.HOLD,
                  hold -> hold.hasLowCardinalityKeyValue("lock", "observed-flux"));
        });
  }

  @Test
  void aCompletionStageMethodGivesAWaitObservationTaggedWithTheTemplateAndOutcomeAndAHold() {
    runner.run(
        context -> {
          assertThat(context.getBean(ObservedJobs.class).stage().toCompletableFuture().join())
              .isEqualTo("stage");

          assertThat(observations)
              .hasNumberOfObservationsWithNameEqualTo(LockObservations.WAIT, 1)
              .hasNumberOfObservationsWithNameEqualTo(LockObservations.HOLD, 1)
              .forAllObservationsWithNameEqualTo(
                  LockObservations.WAIT,
                  wait ->
                      wait.hasLowCardinalityKeyValue("lock", "observed-stage")
                          .hasLowCardinalityKeyValue("outcome", "acquired"));
        });
  }

  @Test
  void aMonoWhoseLockIsHeldElsewhereEndsItsWaitWithOutcomeTimedOut() {
    runner.run(
        context -> {
          try (GcsLockRegistry otherInstance =
                  GcsLockRegistry.builder(
                          EmulatorStorage.create(TestEmulator.get()), TestEmulator.BUCKET)
                      .prefix("wait-observation/")
                      .build();
              Lease held = otherInstance.obtain("observed-held").acquire(BOUND)) {
            assertThatThrownBy(() -> context.getBean(ObservedJobs.class).held().block(BOUND))
                .isInstanceOf(LockTimeoutException.class);
            assertThat(held.isHealthy()).isTrue();
          }

          assertThat(observations)
              .hasNumberOfObservationsWithNameEqualTo(LockObservations.HOLD, 0)
              .hasSingleObservationThat()
              .hasNameEqualTo(LockObservations.WAIT)
              .hasBeenStopped()
              .hasLowCardinalityKeyValue("lock", "observed-held")
              .hasLowCardinalityKeyValue("outcome", "timed_out");
        });
  }

  @Test
  void aBlockingAcquisitionThatThrowsEndsItsWaitAtOnceWithOutcomeError() {
    runner
        .withBean(LockRegistry.class, this::brokenOrPendingStore)
        .run(
            context -> {
              assertThatThrownBy(context.getBean(ObservedJobs.class)::blocking).isSameAs(mutexBug);

              assertThat(observations)
                  .hasSingleObservationThat()
                  .hasNameEqualTo(LockObservations.WAIT)
                  .hasBeenStopped()
                  .hasLowCardinalityKeyValue("lock", "broken-blocking")
                  .hasLowCardinalityKeyValue("outcome", "error")
                  .hasError(mutexBug);
            });
  }

  @Test
  void aReactiveAcquisitionThatFailsEndsItsWaitWithOutcomeError() {
    runner
        .withBean(LockRegistry.class, this::brokenOrPendingStore)
        .run(
            context -> {
              assertThatThrownBy(
                      () -> context.getBean(ObservedJobs.class).brokenMono().block(BOUND))
                  .isSameAs(mutexBug);

              assertThat(observations)
                  .hasSingleObservationThat()
                  .hasBeenStopped()
                  .hasLowCardinalityKeyValue("lock", "broken-mono")
                  .hasLowCardinalityKeyValue("outcome", "error")
                  .hasError(mutexBug);
            });
  }

  @Test
  void cancellingAMonoWhileItWaitsEndsTheWaitWithOutcomeCancelled() {
    runner
        .withBean(LockRegistry.class, this::brokenOrPendingStore)
        .run(
            context -> {
              Disposable subscription =
                  context.getBean(ObservedJobs.class).pendingMono().subscribe();
              assertThat(observations).hasSingleObservationThat().isNotStopped();

              subscription.dispose();

              assertThat(observations)
                  .hasSingleObservationThat()
                  .hasBeenStopped()
                  .hasLowCardinalityKeyValue("lock", "pending-mono")
                  .hasLowCardinalityKeyValue("outcome", "cancelled")
                  .doesNotHaveError();
              assertThat(pending).singleElement().satisfies(f -> assertThat(f).isCancelled());
            });
  }

  @Test
  void cancellingAFluxWhileItWaitsEndsTheWaitWithOutcomeCancelled() {
    runner
        .withBean(LockRegistry.class, this::brokenOrPendingStore)
        .run(
            context -> {
              Disposable subscription =
                  context.getBean(ObservedJobs.class).pendingFlux().subscribe();

              subscription.dispose();

              assertThat(observations)
                  .hasSingleObservationThat()
                  .hasBeenStopped()
                  .hasLowCardinalityKeyValue("lock", "pending-flux")
                  .hasLowCardinalityKeyValue("outcome", "cancelled");
            });
  }

  /** One locked method of each kind. */
  public static class ObservedJobs {

    @DistributedLock("observed-mono")
    public Mono<String> mono() {
      return Mono.just("mono");
    }

    @DistributedLock("observed-flux")
    public Flux<Integer> flux() {
      return Flux.just(1, 2, 3);
    }

    @DistributedLock("observed-stage")
    public CompletionStage<String> stage() {
      return CompletableFuture.completedFuture("stage");
    }

    @DistributedLock("observed-held")
    public Mono<String> held() {
      return Mono.just("never");
    }

    @DistributedLock(value = "broken-blocking", waitFor = "1s")
    public String blocking() {
      return "never";
    }

    @DistributedLock(value = "broken-mono", waitFor = "1s")
    public Mono<String> brokenMono() {
      return Mono.just("never");
    }

    @DistributedLock(value = "pending-mono", waitFor = "1s")
    public Mono<String> pendingMono() {
      return Mono.just("never");
    }

    @DistributedLock(value = "pending-flux", waitFor = "1s")
    public Flux<String> pendingFlux() {
      return Flux.just("never");
    }
  }
}
