package dev.dimutex.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dimutex.Lease;
import dev.dimutex.LockLostException;
import dev.dimutex.emulator.EmulatorStorage;
import dev.dimutex.gcs.GcsLockRegistry;
import dev.dimutex.spring.autoconfigure.DimutexAutoConfiguration;
import dev.dimutex.spring.autoconfigure.DimutexEmulatorStorageAutoConfiguration;
import dev.dimutex.testing.Claim;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * STARTER.md's promises about {@code @Async} on a locked method and about a release failure after
 * the method threw, on the emulator.
 */
class AsyncAndReleaseTests {

  private static final String PREFIX = "async-release/";

  private final GcsLockRegistry otherInstance =
      GcsLockRegistry.builder(EmulatorStorage.create(TestEmulator.get()), TestEmulator.BUCKET)
          .prefix(PREFIX)
          .ttl(Duration.ofSeconds(10))
          .build();

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  DimutexEmulatorStorageAutoConfiguration.class,
                  DimutexAutoConfiguration.class))
          .withUserConfiguration(App.class)
          .withPropertyValues(
              "dimutex.gcs.bucket=" + TestEmulator.BUCKET,
              "dimutex.gcs.emulator-host=" + TestEmulator.hostPort(),
              "dimutex.gcs.prefix=" + PREFIX,
              "dimutex.ttl=10s");

  @AfterEach
  void close() {
    otherInstance.close();
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAsync
  static class App {
    @Bean
    Jobs jobs() {
      return new Jobs();
    }
  }

  /** The locked methods. */
  public static class Jobs {

    /** Where the lock was taken: the thread the work ran on, and whether it held the lease. */
    public record Where(Thread thread, boolean leaseOnThisThread, long token) {}

    @Async
    @DistributedLock("async-ordered")
    public CompletableFuture<Where> asyncWork() {
      Lease lease = CurrentLease.find("async-ordered").orElse(null);
      return CompletableFuture.completedFuture(
          new Where(
              Thread.currentThread(), lease != null, lease == null ? -1 : lease.fencingToken()));
    }

    @DistributedLock("lost-while-failing")
    public void loseTheLockThenFail(Runnable loseIt) {
      loseIt.run();
      throw new IllegalStateException("the work failed");
    }
  }

  @Test
  @Claim("C-STA-31")
  void withAsyncTheLockIsTakenOnTheExecutorThreadAroundTheWork() {
    runner.run(
        context -> {
          Jobs jobs = context.getBean(Jobs.class);
          Jobs.Where where = jobs.asyncWork().get(10, TimeUnit.SECONDS);
          assertThat(where.thread()).isNotSameAs(Thread.currentThread());
          // CurrentLease is bound to the thread that took the lock: the work sees it only if the
          // lock advice ran on the executor thread, inside the async advice
          assertThat(where.leaseOnThisThread()).isTrue();
          assertThat(where.token()).isPositive();
          assertThat(otherInstance.obtain("async-ordered").isLocked())
              .as("released when the work ended")
              .isFalse();
        });
  }

  @Test
  @Claim("C-STA-32")
  void aReleaseFailureAfterTheMethodThrewIsAddedToTheMethodsExceptionAsSuppressed() {
    runner.run(
        context -> {
          Jobs jobs = context.getBean(Jobs.class);
          Runnable replaceTheObject =
              () -> {
                otherInstance.obtain("lost-while-failing").forceRelease();
                otherInstance.obtain("lost-while-failing").tryAcquire().orElseThrow();
              };
          assertThatThrownBy(() -> jobs.loseTheLockThenFail(replaceTheObject))
              .isInstanceOf(IllegalStateException.class)
              .hasMessage("the work failed")
              .satisfies(
                  thrown ->
                      assertThat(thrown.getSuppressed())
                          .singleElement()
                          .isInstanceOf(LockLostException.class));
          assertThat(otherInstance.obtain("lost-while-failing").isLocked())
              .as("the other instance's object was left alone")
              .isTrue();
        });
  }
}
