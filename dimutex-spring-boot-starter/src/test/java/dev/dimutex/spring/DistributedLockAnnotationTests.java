package dev.dimutex.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dimutex.Lease;
import dev.dimutex.LockException;
import dev.dimutex.LockRegistry;
import dev.dimutex.LockTimeoutException;
import dev.dimutex.StoreUnavailableException;
import dev.dimutex.emulator.EmulatorStorage;
import dev.dimutex.gcs.GcsLockRegistry;
import dev.dimutex.spring.autoconfigure.DimutexAutoConfiguration;
import dev.dimutex.spring.autoconfigure.DimutexEmulatorStorageAutoConfiguration;
import dev.dimutex.spring.autoconfigure.DimutexMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Publisher;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.annotation.AliasFor;
import org.springframework.core.io.support.SpringFactoriesLoader;
import reactor.core.publisher.Mono;

/** The annotation's start-up checks, names, outages and meta-annotations, on small contexts. */
class DistributedLockAnnotationTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  DimutexEmulatorStorageAutoConfiguration.class,
                  DimutexAutoConfiguration.class,
                  DimutexMetricsAutoConfiguration.class))
          .withPropertyValues(
              "dimutex.gcs.bucket=" + TestEmulator.BUCKET,
              "dimutex.gcs.prefix=annotation/",
              "dimutex.gcs.emulator-host=" + TestEmulator.hostPort());

  private static GcsLockRegistry otherInstance() {
    return GcsLockRegistry.builder(EmulatorStorage.create(TestEmulator.get()), TestEmulator.BUCKET)
        .prefix("annotation/")
        .build();
  }

  private static InvalidLockAnnotationException startupFailure(
      AssertableApplicationContext context) {
    Throwable t = context.getStartupFailure();
    while (t != null && !(t instanceof InvalidLockAnnotationException)) {
      t = t.getCause();
    }
    assertThat(t).as("start-up failure caused by InvalidLockAnnotationException").isNotNull();
    return (InvalidLockAnnotationException) t;
  }

  private static FailureAnalysis analysis(AssertableApplicationContext context) {
    Throwable failure = context.getStartupFailure();
    for (FailureAnalyzer analyzer :
        SpringFactoriesLoader.forDefaultResourceLocation(FailureAnalyzer.class.getClassLoader())
            .load(
                FailureAnalyzer.class,
                SpringFactoriesLoader.FailureHandler.handleMessage((m, e) -> {}))) {
      FailureAnalysis analysis = analyzer.analyze(failure);
      if (analysis != null) {
        return analysis;
      }
    }
    throw new AssertionError("no failure analyzer explains " + failure);
  }

  @Nested
  class ReactiveReturnTypes {

    @Test
    void otherReactiveTypesFailTheStartWithAnAnalysisNamingEachMethod() {
      runner
          .withBean(OtherReactiveTypes.class)
          .run(
              context -> {
                assertThat(startupFailure(context).problems())
                    .hasSize(2)
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .contains(OtherReactiveTypes.class.getName() + ".flow()")
                                .contains("a reactive type that @DistributedLock does not support"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .contains(OtherReactiveTypes.class.getName() + ".publisher()"));
                FailureAnalysis analysis = analysis(context);
                assertThat(analysis.getDescription())
                    .contains(OtherReactiveTypes.class.getName() + ".flow()")
                    .contains(OtherReactiveTypes.class.getName() + ".publisher()");
                assertThat(analysis.getAction())
                    .contains("only Reactor's Mono and Flux are supported")
                    .contains("dimutex.annotation.mode=aspectj");
              });
    }

    @Test
    void monoWithSkipIsAccepted() {
      runner.withBean(SkippableMono.class).run(context -> assertThat(context).hasNotFailed());
    }
  }

  @Nested
  @ExtendWith(OutputCaptureExtension.class)
  class WhenTheStoreIsUnavailable {

    private ApplicationContextRunner unreachable() {
      return runner
          .withBean(LockRegistry.class, LockTestDoubles::unreachableStore)
          .withBean(SimpleMeterRegistry.class)
          .withBean(OutageJobs.class);
    }

    private double outcomes(MeterRegistry meters, String lock, String outcome) {
      return meters
          .get("dimutex.lock.outcomes")
          .tags("lock", lock, "outcome", outcome)
          .counter()
          .count();
    }

    @Test
    void failThrowsALockExceptionThatIsNotATimeoutWithTheStoreErrorAsCause() {
      unreachable()
          .run(
              context -> {
                OutageJobs jobs = context.getBean(OutageJobs.class);
                assertThatThrownBy(jobs::fail)
                    .isInstanceOf(LockException.class)
                    .isInstanceOf(StoreUnavailableException.class)
                    .isNotInstanceOf(LockTimeoutException.class)
                    .hasMessageContaining("lock store is unavailable")
                    .hasMessageContaining("OutageJobs.fail()")
                    .hasCause(LockTestDoubles.STORE_ERROR);
                assertThat(jobs.calls()).isEmpty();
                assertThat(
                        outcomes(
                            context.getBean(MeterRegistry.class), "outage-fail", "unavailable"))
                    .isOne();
              });
    }

    @Test
    void skipDoesNotRunTheMethodLogsAWarningAndRecordsTheOutcomeUnavailable(CapturedOutput output) {
      unreachable()
          .run(
              context -> {
                OutageJobs jobs = context.getBean(OutageJobs.class);
                jobs.skip();
                assertThat(jobs.calls()).isEmpty();
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                assertThat(outcomes(meters, "outage-skip", "unavailable")).isOne();
                assertThat(
                        meters.find("dimutex.lock.outcomes").tag("outcome", "skipped").counters())
                    .isEmpty();
                assertThat(output)
                    .contains("WARN")
                    .contains("Skipped " + OutageJobs.class.getName() + ".skip()")
                    .contains("the lock store is unavailable");
              });
    }

    @Test
    void reactiveMethodsSignalTheOutageOrCompleteEmpty() {
      unreachable()
          .run(
              context -> {
                OutageJobs jobs = context.getBean(OutageJobs.class);
                assertThatThrownBy(() -> jobs.failMono().block(Duration.ofSeconds(10)))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasCause(LockTestDoubles.STORE_ERROR);
                assertThat(jobs.skipMono().block(Duration.ofSeconds(10))).isNull();
                assertThat(jobs.calls()).isEmpty();
              });
    }
  }

  @Nested
  class DefaultNames {

    @Test
    void methodsOfClassesWithTheSameSimpleNameAndOverloadsNeverShareADefaultName() {
      runner
          .withBean(Billing.Job.class)
          .withBean(Reporting.Job.class)
          .run(
              context -> {
                assertThat(context.getBean(Billing.Job.class).run())
                    .isEqualTo(Billing.Job.class.getName() + ".run");
                assertThat(context.getBean(Reporting.Job.class).run())
                    .isEqualTo(Reporting.Job.class.getName() + ".run()");
                assertThat(context.getBean(Reporting.Job.class).run("x"))
                    .isEqualTo(Reporting.Job.class.getName() + ".run(java.lang.String)");
                assertThat(context.getBean(Reporting.Job.class).run(new String[] {"x"}, 1))
                    .isEqualTo(Reporting.Job.class.getName() + ".run(java.lang.String...,int)");
              });
    }

    @Test
    void anInvalidNameWithoutExpressionsFailsTheStartNamingTheMethod() {
      runner
          .withBean(LineBreakName.class)
          .run(
              context ->
                  assertThat(startupFailure(context))
                      .hasMessageContaining(LineBreakName.class.getName() + ".run()")
                      .hasMessageContaining("must not contain carriage return or line feed"));
    }

    @Test
    void placeholderValuesAreLiteralTextNeverEvaluated() {
      String evil = "#{T(java.lang.System).setProperty('dimutex.test.evaluated','yes')}";
      runner
          .withPropertyValues("test.evil=" + evil)
          .withBean(PlaceholderJob.class)
          .run(
              context -> {
                assertThat(context.getBean(PlaceholderJob.class).run("7")).isEqualTo(evil + "-7");
                assertThat(System.getProperty("dimutex.test.evaluated")).isNull();
              });
    }
  }

  @Nested
  class MetaAnnotations {

    @Test
    void aComposedAnnotationLocksWithItsOwnDefaultsAndAliasOverrides() {
      try (GcsLockRegistry other = otherInstance()) {
        runner
            .withBean(NightlyJobs.class)
            .run(
                context -> {
                  NightlyJobs jobs = context.getBean(NightlyJobs.class);
                  assertThat(jobs.report("2026-12-01")).isEqualTo("nightly-2026-12-01");
                  try (Lease busy =
                      other.obtain("nightly-2026-12-02").acquire(Duration.ofSeconds(5))) {
                    assertThat(jobs.report("2026-12-02")).as("skipped: onHeld = SKIP").isNull();
                    assertThat(busy.isHealthy()).isTrue();
                  }
                  assertThat(jobs.calls()).containsExactly("2026-12-01");
                });
      }
    }
  }

  @Nested
  class AspectJModeWithoutWeaving {

    @Test
    void failsTheStartSayingTheAspectIsNotWoven() {
      runner
          .withPropertyValues("dimutex.annotation.mode=aspectj")
          .run(
              context ->
                  assertThat(startupFailure(context))
                      .hasMessageContaining(DistributedLockAspect.class.getName())
                      .hasMessageContaining("has not been woven"));
    }
  }

  public static class OtherReactiveTypes {
    @DistributedLock("flow")
    public Flow.Publisher<String> flow() {
      return subscriber -> {};
    }

    @DistributedLock("publisher")
    public Publisher<String> publisher() {
      return subscriber -> {};
    }
  }

  public static class SkippableMono {
    @DistributedLock(value = "skippable-mono", onHeld = OnHeld.SKIP)
    public Mono<String> run() {
      return Mono.just("x");
    }
  }

  public static class OutageJobs {
    final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

    // Read through a method: the bean is a CGLIB proxy whose own fields are unused.
    public List<String> calls() {
      return calls;
    }

    @DistributedLock(value = "outage-fail", waitFor = "1s")
    public void fail() {
      calls.add("fail");
    }

    @DistributedLock(value = "outage-skip", onHeld = OnHeld.SKIP, waitFor = "1s")
    public void skip() {
      calls.add("skip");
    }

    @DistributedLock(value = "outage-fail-mono", waitFor = "1s")
    public Mono<String> failMono() {
      calls.add("failMono");
      return Mono.just("ran");
    }

    @DistributedLock(value = "outage-skip-mono", onHeld = OnHeld.SKIP)
    public Mono<String> skipMono() {
      calls.add("skipMono");
      return Mono.just("ran");
    }
  }

  /** Two classes named {@code Job}, as {@code billing.Job} and {@code reporting.Job}. */
  static final class Billing {
    public static class Job {
      @DistributedLock
      public String run() {
        return CurrentLease.get().name();
      }
    }
  }

  static final class Reporting {
    public static class Job {
      @DistributedLock
      public String run() {
        return CurrentLease.get().name();
      }

      @DistributedLock
      public String run(String argument) {
        return CurrentLease.get().name();
      }

      @DistributedLock
      public String run(String[] arguments, int count) {
        return CurrentLease.get().name();
      }
    }
  }

  public static class LineBreakName {
    @DistributedLock("line\nbreak")
    public void run() {}
  }

  public static class PlaceholderJob {
    @DistributedLock("${test.evil}-#{#id}")
    public String run(String id) {
      return CurrentLease.get().name();
    }
  }

  /** A team's own annotation for nightly jobs, carrying @DistributedLock. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @DistributedLock(onHeld = OnHeld.SKIP, holdAtLeast = "0s")
  public @interface NightlyJob {
    @AliasFor(annotation = DistributedLock.class, attribute = "name")
    String value();

    @AliasFor(annotation = DistributedLock.class, attribute = "waitFor")
    String waitFor() default "0s";
  }

  public static class NightlyJobs {
    final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

    // Read through a method: the bean is a CGLIB proxy whose own fields are unused.
    public List<String> calls() {
      return calls;
    }

    @NightlyJob("nightly-#{#day}")
    public @Nullable String report(String day) {
      calls.add(day);
      return CurrentLease.get().name();
    }
  }
}
