package dev.dimutex.spring.aspectj;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.LockRegistry;
import dev.dimutex.emulator.EmulatorStorage;
import dev.dimutex.gcs.GcsLockRegistry;
import dev.dimutex.spring.CurrentLease;
import dev.dimutex.spring.DistributedLock;
import dev.dimutex.spring.DistributedLocking;
import dev.dimutex.spring.TestEmulator;
import dev.dimutex.spring.autoconfigure.DimutexAutoConfiguration;
import dev.dimutex.spring.autoconfigure.DimutexEmulatorStorageAutoConfiguration;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code dimutex.annotation.mode=aspectj} with load-time weaving: runs in its own surefire
 * execution with {@code -javaagent:aspectjweaver.jar}; the test's META-INF/aop.xml weaves this
 * package.
 */
class AspectJModeTests {

  private static GcsLockRegistry otherInstance;

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  DimutexEmulatorStorageAutoConfiguration.class, DimutexAutoConfiguration.class))
          .withPropertyValues(
              "dimutex.gcs.bucket=" + TestEmulator.BUCKET,
              "dimutex.gcs.prefix=aspectj/",
              "dimutex.gcs.emulator-host=" + TestEmulator.hostPort(),
              "dimutex.annotation.mode=aspectj")
          .withBean(SelfInvokingJob.class);

  @BeforeAll
  static void startOtherInstance() {
    otherInstance =
        GcsLockRegistry.builder(EmulatorStorage.create(TestEmulator.get()), TestEmulator.BUCKET)
            .prefix("aspectj/")
            .build();
  }

  @AfterAll
  static void stopOtherInstance() {
    otherInstance.close();
  }

  @Test
  void aSelfInvokedNonPublicMethodIsLockedByTheWovenAspect() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          SelfInvokingJob job = context.getBean(SelfInvokingJob.class);
          assertThat(AopUtils.isAopProxy(job)).as("no proxy in aspectj mode").isFalse();
          assertThat(context.getBeansOfType(Advisor.class)).isEmpty();
          assertThat(context.getBean(DistributedLocking.class).advisor()).isNotNull();

          job.observeWith(otherInstance);
          assertThat(job.run()).isEqualTo("self-invoked|locked elsewhere: true");
          assertThat(otherInstance.obtain("self-invoked").isLocked()).isFalse();
        });
  }

  @Test
  void aSelfInvokedMethodCarryingAComposedAnnotationIsLocked() {
    runner.run(
        context ->
            assertThat(context.getBean(SelfInvokingJob.class).runMeta())
                .isEqualTo("meta-self-invoked"));
  }

  @Test
  void aSelfInvokedMethodFailsWhileTheLockIsHeldElsewhere() {
    runner.run(
        context -> {
          SelfInvokingJob job = context.getBean(SelfInvokingJob.class);
          job.observeWith(otherInstance);
          try (var busy = otherInstance.obtain("self-invoked").acquire(Duration.ofSeconds(5))) {
            assertThat(job.runOrReportBusy()).startsWith("busy:");
            assertThat(busy.isHealthy()).isTrue();
          }
        });
  }

  /** A team's own annotation carrying @DistributedLock. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @DistributedLock("meta-self-invoked")
  public @interface TeamLock {}

  /** Calls its own locked method: a proxy would not see the call, the woven aspect does. */
  public static class SelfInvokingJob {
    private LockRegistry observer;

    public void observeWith(LockRegistry registry) {
      this.observer = registry;
    }

    public String run() {
      return locked();
    }

    public String runOrReportBusy() {
      try {
        return locked();
      } catch (dev.dimutex.LockTimeoutException e) {
        return "busy: " + e.getMessage();
      }
    }

    public String runMeta() {
      return metaLocked();
    }

    @TeamLock
    String metaLocked() {
      return CurrentLease.get().name();
    }

    @DistributedLock("self-invoked")
    String locked() {
      return CurrentLease.get().name()
          + "|locked elsewhere: "
          + observer.obtain("self-invoked").isLocked();
    }
  }
}
