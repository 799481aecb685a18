package dev.dimutex.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.cloud.storage.Storage;
import dev.dimutex.LockConfigurationException;
import dev.dimutex.LockRegistry;
import dev.dimutex.Mutex;
import dev.dimutex.emulator.EmulatorStorage;
import dev.dimutex.gcs.GcsLockRegistry;
import dev.dimutex.spring.DistributedLock;
import dev.dimutex.spring.DistributedLockMode;
import dev.dimutex.spring.DistributedLocking;
import dev.dimutex.spring.InvalidLockAnnotationException;
import dev.dimutex.spring.LockRegistries;
import dev.dimutex.spring.OnHeld;
import dev.dimutex.spring.TestEmulator;
import dev.dimutex.spring.actuate.DimutexHealthIndicator;
import dev.dimutex.spring.actuate.DimutexMetrics;
import dev.dimutex.spring.actuate.ForceReleaseLocksEndpoint;
import dev.dimutex.spring.actuate.LocksEndpoint;
import dev.dimutex.spring.integration.DimutexIntegrationLockRegistry;
import dev.dimutex.testing.Claim;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class DimutexAutoConfigurationTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  DimutexEmulatorStorageAutoConfiguration.class,
                  DimutexAutoConfiguration.class,
                  DimutexMetricsAutoConfiguration.class,
                  DimutexActuatorAutoConfiguration.class,
                  DimutexIntegrationAutoConfiguration.class))
          .withPropertyValues(
              "dimutex.gcs.bucket=" + TestEmulator.BUCKET,
              "dimutex.gcs.emulator-host=" + TestEmulator.hostPort());

  private static Throwable rootOf(AssertableApplicationContext context, Class<?> type) {
    Throwable t = context.getStartupFailure();
    while (t != null && !type.isInstance(t)) {
      t = t.getCause();
    }
    assertThat(t).as("startup failure caused by %s", type.getSimpleName()).isNotNull();
    return t;
  }

  private static FailureAnalysis analyze(AssertableApplicationContext context) {
    Throwable failure = context.getStartupFailure();
    for (var analyzer :
        List.of(
            new DimutexStartupFailureAnalyzer(),
            new InvalidLockAnnotationFailureAnalyzer(),
            new LockStoreFailureAnalyzer())) {
      FailureAnalysis analysis = analyzer.analyze(failure);
      if (analysis != null) {
        return analysis;
      }
    }
    throw new AssertionError("no dimutex analyzer explains " + failure);
  }

  @Nested
  class Conditions {

    @Test
    void createsTheRegistryTheAdvisorAndTheRegistriesByDefault() {
      runner.run(
          context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(LockRegistry.class);
            assertThat(context).hasSingleBean(GcsLockRegistry.class);
            assertThat(context).hasSingleBean(LockRegistries.class);
            assertThat(context).hasSingleBean(DistributedLocking.class);
          });
    }

    @Test
    void disabledCreatesNoGcsRegistryNoAdvisorAndNoMeters() {
      runner
          .withConfiguration(AutoConfigurations.of(DimutexDisabledAutoConfiguration.class))
          .withPropertyValues("dimutex.enabled=false", "dimutex.gcs.emulator-host=127.0.0.1:1")
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(GcsLockRegistry.class);
                assertThat(context).doesNotHaveBean(Storage.class);
                assertThat(context).doesNotHaveBean(LockRegistries.class);
                assertThat(context).doesNotHaveBean(DistributedLocking.class);
                assertThat(context).doesNotHaveBean(DimutexMetrics.class);
              });
    }

    @Test
    void disabledStillStartsBeansThatInjectARegistryAndRefusesEveryLockSayingWhy() {
      runner
          .withConfiguration(AutoConfigurations.of(DimutexDisabledAutoConfiguration.class))
          .withUserConfiguration(NeedsARegistry.class)
          .withPropertyValues("dimutex.enabled=false")
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                Mutex mutex = context.getBean(NeedsARegistry.class).registry.obtain("job");
                assertThat(mutex.name()).isEqualTo("job");
                assertThatThrownBy(mutex::tryAcquire)
                    .isInstanceOf(LockConfigurationException.class)
                    .hasMessageContaining("Lock 'job'")
                    .hasMessageContaining("dimutex.enabled=false");
                assertThat(mutex.acquireAsync(Duration.ofSeconds(1))).isCompletedExceptionally();
              });
    }

    @Test
    void disabledRegistryBacksOffForTheApplicationsOwn() {
      runner
          .withConfiguration(AutoConfigurations.of(DimutexDisabledAutoConfiguration.class))
          .withUserConfiguration(UserRegistry.class)
          .withPropertyValues("dimutex.enabled=false")
          .run(
              context ->
                  assertThat(context.getBean(LockRegistry.class))
                      .isSameAs(context.getBean("userRegistry")));
    }

    @Test
    void userRegistryReplacesTheAutoConfiguredOne() {
      runner
          .withUserConfiguration(UserRegistry.class)
          .run(
              context -> {
                assertThat(context).hasSingleBean(LockRegistry.class);
                assertThat(context).doesNotHaveBean(GcsLockRegistry.class);
                assertThat(context.getBean(LockRegistry.class))
                    .isSameAs(context.getBean("userRegistry"));
                assertThat(context.getBean(LockRegistries.class).registry())
                    .isSameAs(context.getBean("userRegistry"));
              });
    }

    @Test
    void userRegistriesAndAdvisorReplaceTheAutoConfiguredOnes() {
      runner
          .withUserConfiguration(UserRegistriesAndAdvisor.class)
          .run(
              context -> {
                assertThat(context).hasSingleBean(LockRegistries.class);
                assertThat(context).hasSingleBean(DistributedLocking.class);
                assertThat(context.getBean(LockRegistries.class))
                    .isSameAs(context.getBean("userRegistries"));
                assertThat(context.getBean(DistributedLocking.class))
                    .isSameAs(context.getBean("userLocking"));
              });
    }

    @Test
    void metricsNeedAMeterRegistry() {
      runner.run(context -> assertThat(context).doesNotHaveBean(DimutexMetrics.class));
      runner
          .withBean(SimpleMeterRegistry.class)
          .run(context -> assertThat(context).hasSingleBean(DimutexMetrics.class));
    }

    @Test
    void springIntegrationAdapterIsCreatedWhenSpringIntegrationIsPresent() {
      runner.run(
          context -> assertThat(context).hasSingleBean(DimutexIntegrationLockRegistry.class));
      runner
          .withClassLoader(
              new FilteredClassLoader(
                  org.springframework.integration.support.locks.LockRegistry.class))
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(DimutexIntegrationLockRegistry.class);
              });
    }

    @Test
    void startsWithoutTheActuatorMicrometerAndSpringIntegration() {
      runner
          .withClassLoader(
              new FilteredClassLoader(
                  "org.springframework.boot.health",
                  "org.springframework.boot.actuate",
                  "io.micrometer.core",
                  "org.springframework.integration"))
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(LockRegistry.class);
                assertThat(context).doesNotHaveBean(DimutexHealthIndicator.class);
                assertThat(context).doesNotHaveBean(LocksEndpoint.class);
                assertThat(context).doesNotHaveBean(DimutexMetrics.class);
                assertThat(context).doesNotHaveBean(DimutexIntegrationLockRegistry.class);
              });
    }

    @Test
    void healthIndicatorIsCreatedUnlessDisabled() {
      runner.run(context -> assertThat(context).hasSingleBean(DimutexHealthIndicator.class));
      runner
          .withPropertyValues("management.health.dimutex.enabled=false")
          .run(context -> assertThat(context).doesNotHaveBean(DimutexHealthIndicator.class));
    }

    @Test
    @Claim("C-STA-18")
    @Claim("C-SEC-3")
    void locksEndpointIsReadOnlyUnlessForceReleaseIsEnabled() {
      ApplicationContextRunner exposed =
          runner.withPropertyValues("management.endpoints.web.exposure.include=locks");
      exposed.run(
          context -> {
            assertThat(context).hasSingleBean(LocksEndpoint.class);
            assertThat(context).doesNotHaveBean(ForceReleaseLocksEndpoint.class);
          });
      exposed
          .withPropertyValues("dimutex.actuator.force-release-enabled=true")
          .run(
              context -> {
                assertThat(context).hasSingleBean(LocksEndpoint.class);
                assertThat(context).hasSingleBean(ForceReleaseLocksEndpoint.class);
              });
      runner.run(context -> assertThat(context).doesNotHaveBean(LocksEndpoint.class));
    }
  }

  @Nested
  class Properties {

    @Test
    void ttlPrefixAndOwnerIdReachTheRegistry() {
      runner
          .withPropertyValues(
              "dimutex.ttl=30s", "dimutex.gcs.prefix=app/locks/", "dimutex.owner-id=node-7")
          .run(
              context -> {
                GcsLockRegistry registry = context.getBean(GcsLockRegistry.class);
                assertThat(registry.ttl()).isEqualTo(Duration.ofSeconds(30));
                assertThat(registry.prefix()).isEqualTo("app/locks/");
                assertThat(registry.ownerId()).isEqualTo("node-7");
                assertThat(registry.bucket()).isEqualTo(TestEmulator.BUCKET);
              });
    }

    @Test
    void refreshIntervalReachesTheRegistry() {
      runner
          .withPropertyValues("dimutex.ttl=30s", "dimutex.refresh-interval=4s")
          .run(
              context ->
                  assertThat(context.getBean(GcsLockRegistry.class).refreshInterval())
                      .isEqualTo(Duration.ofSeconds(4)));
    }

    @Test
    void backoffSettingsAreAccepted() {
      runner
          .withPropertyValues(
              "dimutex.backoff.min=100ms",
              "dimutex.backoff.max=2s",
              "dimutex.backoff.multiplier=1.5",
              "dimutex.backoff.jitter=0.2")
          .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    @Claim("C-STA-20")
    @Claim("C-TRB-1")
    void missingBucketFailsWithAnExplanation() {
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(DimutexAutoConfiguration.class))
          .withPropertyValues("dimutex.gcs.emulator-host=" + TestEmulator.hostPort())
          .run(
              context -> {
                assertThat(rootOf(context, DimutexStartupException.class))
                    .hasMessageContaining("dimutex.gcs.bucket");
                FailureAnalysis analysis = analyze(context);
                assertThat(analysis.getDescription()).contains("'dimutex.gcs.bucket' is not set");
                assertThat(analysis.getAction()).contains("Set dimutex.gcs.bucket");
              });
    }

    @Test
    @Claim("C-STA-21")
    @Claim("C-TRB-3")
    void missingStorageFailsWithAnExplanation() {
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(DimutexAutoConfiguration.class))
          .withPropertyValues("dimutex.gcs.bucket=b")
          .run(
              context -> {
                FailureAnalysis analysis = analyze(context);
                assertThat(analysis.getDescription())
                    .contains("no single bean of type com.google.cloud.storage.Storage");
                assertThat(analysis.getAction()).contains("STORAGE_EMULATOR_HOST");
              });
    }

    @Test
    void storageBeanIsUsedWhenNoEmulatorIsConfigured() {
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(DimutexAutoConfiguration.class))
          .withPropertyValues("dimutex.gcs.bucket=" + TestEmulator.BUCKET)
          .withBean(Storage.class, () -> EmulatorStorage.create(TestEmulator.get()))
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(GcsRegistryFactory.class).storage().emulatorUrl())
                    .isNull();
                assertThat(context.getBean(GcsRegistryFactory.class).storage().storage())
                    .isSameAs(context.getBean(Storage.class));
              });
    }

    @Test
    @Claim("C-STA-1")
    void negativeTtlFailsNamingTheProperty() {
      runner
          .withPropertyValues("dimutex.ttl=-5s")
          .run(
              context ->
                  assertThat(analyze(context).getDescription())
                      .contains("'dimutex.ttl' (PT-5S) must be positive"));
    }

    @Test
    @Claim("C-STA-1")
    void refreshIntervalNotShorterThanHalfTheTtlFails() {
      runner
          .withPropertyValues("dimutex.ttl=10s", "dimutex.refresh-interval=10s")
          .run(
              context -> {
                FailureAnalysis analysis = analyze(context);
                assertThat(analysis.getDescription())
                    .contains("'dimutex.refresh-interval' (PT10S)")
                    .contains("shorter than half of dimutex.ttl");
                assertThat(analysis.getAction()).contains("below PT5S");
              });
    }

    @Test
    @Claim("C-STA-1")
    void negativeRefreshIntervalFails() {
      runner
          .withPropertyValues("dimutex.refresh-interval=-1s")
          .run(
              context ->
                  assertThat(analyze(context).getDescription())
                      .contains("'dimutex.refresh-interval' (PT-1S) must be positive"));
    }

    @Test
    @Claim("C-STA-1")
    @Claim("C-TRB-2")
    void backoffMaxBelowMinFails() {
      runner
          .withPropertyValues("dimutex.backoff.min=2s", "dimutex.backoff.max=1s")
          .run(
              context ->
                  assertThat(analyze(context).getDescription())
                      .contains("'dimutex.backoff.max' (PT1S) must not be shorter"));
    }

    @Test
    @Claim("C-STA-1")
    @Claim("C-TRB-2")
    void jitterOutsideZeroToOneFails() {
      runner
          .withPropertyValues("dimutex.backoff.jitter=1.5")
          .run(
              context ->
                  assertThat(analyze(context).getDescription())
                      .contains("'dimutex.backoff.jitter' (1.5) must be at least 0 and below 1"));
    }

    @Test
    @Claim("C-STA-1")
    @Claim("C-TRB-2")
    void negativeAnnotationWaitFails() {
      runner
          .withPropertyValues("dimutex.annotation.wait-for=-1s")
          .run(
              context ->
                  assertThat(analyze(context).getDescription())
                      .contains("'dimutex.annotation.wait-for' (PT-1S) must be zero or positive"));
    }
  }

  @Nested
  class Emulator {

    @Test
    @Claim("C-STA-2")
    void emulatorHostPropertyInHostPortFormBuildsAnEmulatorClient() {
      runner.run(
          context ->
              assertThat(context.getBean(GcsRegistryFactory.class).storage().emulatorUrl())
                  .isEqualTo(TestEmulator.url()));
    }

    @Test
    @Claim("C-STA-2")
    void environmentVariableInUrlFormBuildsAnEmulatorClient() {
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(DimutexAutoConfiguration.class))
          .withPropertyValues(
              "dimutex.gcs.bucket=" + TestEmulator.BUCKET,
              "STORAGE_EMULATOR_HOST=" + TestEmulator.url() + "/")
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(GcsRegistryFactory.class).storage().emulatorUrl())
                    .isEqualTo(TestEmulator.url());
              });
    }

    @Test
    @Claim("C-STA-2")
    void environmentVariableInHostPortFormBuildsAnEmulatorClient() {
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(DimutexAutoConfiguration.class))
          .withPropertyValues(
              "dimutex.gcs.bucket=" + TestEmulator.BUCKET,
              "STORAGE_EMULATOR_HOST=" + TestEmulator.hostPort())
          .run(
              context ->
                  assertThat(context.getBean(GcsRegistryFactory.class).storage().emulatorUrl())
                      .isEqualTo(TestEmulator.url()));
    }

    @Test
    void emulatorHostPropertyWinsOverTheEnvironmentVariable() {
      runner
          .withPropertyValues("STORAGE_EMULATOR_HOST=localhost:1")
          .run(
              context ->
                  assertThat(context.getBean(GcsRegistryFactory.class).storage().emulatorUrl())
                      .isEqualTo(TestEmulator.url()));
    }

    @Test
    void emulatorHostMakesTheApplicationsStorageBeanAnEmulatorClientThatDimutexReuses() {
      runner.run(
          context -> {
            assertThat(context).hasSingleBean(Storage.class);
            assertThat(context.getBean(Storage.class).getOptions().getHost())
                .isEqualTo(TestEmulator.url());
            assertThat(context.getBean(GcsRegistryFactory.class).storage().storage())
                .isSameAs(context.getBean(Storage.class));
          });
    }

    @Test
    void withoutAnEmulatorHostNoStorageBeanIsContributed() {
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(DimutexEmulatorStorageAutoConfiguration.class))
          .run(context -> assertThat(context).doesNotHaveBean(Storage.class));
    }

    @Test
    void userStorageBeanIsKeptAndDimutexBuildsItsOwnEmulatorClient() {
      Storage user = EmulatorStorage.create("http://127.0.0.1:1");
      runner
          .withBean("userStorage", Storage.class, () -> user)
          .run(
              context -> {
                assertThat(context).hasSingleBean(Storage.class);
                assertThat(context.getBean(Storage.class)).isSameAs(user);
                assertThat(context.getBean(GcsRegistryFactory.class).storage().storage())
                    .isNotSameAs(user);
                assertThat(context.getBean(GcsRegistryFactory.class).storage().emulatorUrl())
                    .isEqualTo(TestEmulator.url());
              });
    }

    @Test
    void startsWithSpringCloudGcpAndNoCredentialsWhenTheEmulatorIsSet() {
      // Without NO_GCE_CHECK, Google's auth library would probe the GCE metadata server.
      assumeTrue(
          "true".equals(System.getenv("NO_GCE_CHECK")),
          "needs NO_GCE_CHECK=true (set by the surefire configuration)");
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  com.google.cloud.spring.autoconfigure.core.GcpContextAutoConfiguration.class,
                  com.google.cloud.spring.autoconfigure.storage.GcpStorageAutoConfiguration.class,
                  DimutexEmulatorStorageAutoConfiguration.class,
                  DimutexAutoConfiguration.class))
          .withPropertyValues(
              "dimutex.gcs.bucket=" + TestEmulator.BUCKET,
              "STORAGE_EMULATOR_HOST=" + TestEmulator.hostPort())
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(Storage.class);
                assertThat(context.getBean(Storage.class).getOptions().getHost())
                    .isEqualTo(TestEmulator.url());
              });
    }

    @Test
    @Claim("C-STA-2")
    void emulatorUrlAcceptsBothForms() {
      assertThat(GcsStorageFactory.emulatorUrl("localhost:9023"))
          .isEqualTo("http://localhost:9023");
      assertThat(GcsStorageFactory.emulatorUrl("http://localhost:9023/"))
          .isEqualTo("http://localhost:9023");
      assertThat(GcsStorageFactory.emulatorUrl(" https://gcs.local "))
          .isEqualTo("https://gcs.local");
    }

    @Test
    @Claim("C-STA-22")
    @Claim("C-TRB-4")
    void missingBucketFailsTheStartWhenVerified() {
      runner
          .withPropertyValues("dimutex.gcs.bucket=no-such-bucket")
          .run(
              context -> {
                assertThat(rootOf(context, LockConfigurationException.class))
                    .hasMessageContaining("no-such-bucket");
                FailureAnalysis analysis = analyze(context);
                assertThat(analysis.getDescription()).contains("cannot use its lock bucket");
                assertThat(analysis.getAction()).contains("dimutex.gcs.verify-on-startup=false");
              });
    }

    @Test
    @Claim("C-STA-28")
    @Claim("C-TRB-4")
    void theBucketFailureSaysThatObjectUserLacksTheBucketsGetTheCheckNeeds() {
      runner
          .withPropertyValues("dimutex.gcs.bucket=no-such-bucket")
          .run(
              context ->
                  assertThat(analyze(context).getAction())
                      .contains("needs storage.buckets.get")
                      .contains("roles/storage.objectUser does not include it")
                      .contains("roles/storage.legacyBucketReader")
                      .contains("dimutex.gcs.verify-on-startup=false"));
    }

    @Test
    @Claim("C-STA-29")
    @Claim("C-TRB-5")
    void anUnreachableStoreThatIsNotTheEmulatorFailsTheStartWithItsOwnExplanation() {
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(DimutexAutoConfiguration.class))
          .withPropertyValues("dimutex.gcs.bucket=" + TestEmulator.BUCKET)
          .withBean(Storage.class, () -> EmulatorStorage.create("http://127.0.0.1:1"))
          .run(
              context -> {
                FailureAnalysis analysis = analyze(context);
                assertThat(analysis.getDescription())
                    .startsWith(
                        "dimutex could not reach its lock store while the application started: ")
                    .doesNotContain("emulator");
                assertThat(analysis.getAction())
                    .contains("Check the network path to Google Cloud Storage")
                    .contains("dimutex.gcs.verify-on-startup=false");
              });
    }

    @Test
    @Claim("C-STA-30")
    void aBlankOwnerIdFailsTheStartNamingTheProperty() {
      runner
          .withPropertyValues("dimutex.owner-id= ")
          .run(
              context -> {
                FailureAnalysis analysis = analyze(context);
                assertThat(analysis.getDescription())
                    .isEqualTo(
                        "Invalid dimutex configuration: 'dimutex.owner-id' ('') must not be"
                            + " blank.");
                assertThat(analysis.getAction()).contains("Remove it to use a random id per start");
              });
    }

    @Test
    void missingBucketIsNotCheckedWhenVerificationIsOff() {
      runner
          .withPropertyValues(
              "dimutex.gcs.bucket=no-such-bucket", "dimutex.gcs.verify-on-startup=false")
          .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    @Claim("C-STA-23")
    @Claim("C-TRB-6")
    void unreachableEmulatorFailsTheStartWithAnExplanation() {
      runner
          .withPropertyValues("dimutex.gcs.emulator-host=127.0.0.1:1")
          .run(
              context -> {
                FailureAnalysis analysis = analyze(context);
                assertThat(analysis.getDescription())
                    .startsWith("The GCS emulator at http://127.0.0.1:1 is not running");
                assertThat(analysis.getAction()).contains("dimutex.gcs.verify-on-startup=false");
              });
    }
  }

  @Nested
  class Annotations {

    @Test
    @Claim("C-STA-15")
    void closingTheContextReleasesLocksStillHeldForHoldAtLeast() {
      GcsLockRegistry observer =
          GcsLockRegistry.builder(EmulatorStorage.create(TestEmulator.get()), TestEmulator.BUCKET)
              .prefix("close/")
              .build();
      try {
        runner
            .withPropertyValues("dimutex.gcs.prefix=close/")
            .withBean(HoldsLong.class)
            .run(
                context -> {
                  context.getBean(HoldsLong.class).run();
                  assertThat(observer.obtain("holds-long").isLocked()).isTrue();
                });
        assertThat(observer.obtain("holds-long").isLocked()).isFalse();
      } finally {
        observer.close();
      }
    }

    @Test
    @Claim("C-STA-9")
    @Claim("C-STA-24")
    @Claim("C-TRB-7")
    void skipOnAMethodReturningAValueIsRejectedNamingTheMethod() {
      runner
          .withBean(SkipReturningInt.class)
          .run(
              context -> {
                Throwable failure = rootOf(context, InvalidLockAnnotationException.class);
                assertThat(failure)
                    .hasMessageContaining(SkipReturningInt.class.getName() + ".count()")
                    .hasMessageContaining("onHeld = SKIP is allowed only");
                assertThat(analyze(context).getDescription())
                    .contains(SkipReturningInt.class.getName() + ".count()");
              });
    }

    @Test
    @Claim("C-STA-9")
    void skipIsAcceptedForVoidOptionalAndNullableReturns() {
      runner.withBean(SkippableMethods.class).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    @Claim("C-STA-9")
    void skipAsThePropertyDefaultIsCheckedToo() {
      runner
          .withPropertyValues("dimutex.annotation.on-held=SKIP")
          .withBean(DefaultPolicyReturningString.class)
          .run(
              context ->
                  assertThat(rootOf(context, InvalidLockAnnotationException.class))
                      .hasMessageContaining(
                          DefaultPolicyReturningString.class.getName() + ".name()"));
    }

    @Test
    @Claim("C-STA-24")
    @Claim("C-TRB-7")
    void invalidDurationsAndNonPublicMethodsAreRejected() {
      runner
          .withBean(BadAttributes.class)
          .run(
              context -> {
                InvalidLockAnnotationException failure =
                    (InvalidLockAnnotationException)
                        rootOf(context, InvalidLockAnnotationException.class);
                assertThat(failure.problems())
                    .anySatisfy(p -> assertThat(p).contains("waitFor 'soon' is not a duration"))
                    .anySatisfy(p -> assertThat(p).contains("ttl '0s' must be positive"))
                    .anySatisfy(p -> assertThat(p).contains("hidden() is not public"));
              });
    }

    @Test
    void ttlOverrideThatTheRegistryRejectsFailsTheStart() {
      runner
          .withBean(TinyTtl.class)
          .run(
              context ->
                  assertThat(rootOf(context, InvalidLockAnnotationException.class))
                      .hasMessageContaining(TinyTtl.class.getName() + ".run(): ttl PT0.2S"));
    }

    @Test
    @Claim("C-STA-24")
    @Claim("C-TRB-7")
    void invalidNameTemplateIsRejected() {
      runner
          .withBean(BadTemplate.class)
          .run(
              context ->
                  assertThat(rootOf(context, InvalidLockAnnotationException.class))
                      .hasMessageContaining("is not a valid SpEL template"));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class NeedsARegistry {
    final LockRegistry registry;

    NeedsARegistry(LockRegistry registry) {
      this.registry = registry;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserRegistry {
    @Bean
    LockRegistry userRegistry() {
      return new LockRegistry() {
        @Override
        public Mutex obtain(String name) {
          throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserRegistriesAndAdvisor {
    @Bean
    LockRegistries userRegistries(LockRegistry registry) {
      return new SingleLockRegistries(registry);
    }

    @Bean
    static DistributedLocking userLocking(
        org.springframework.beans.factory.ObjectProvider<LockRegistries> registries,
        org.springframework.beans.factory.ObjectProvider<dev.dimutex.spring.DistributedLockObserver>
            observers) {
      return new DistributedLocking(
          registries, observers, Duration.ZERO, OnHeld.FAIL, DistributedLockMode.PROXY);
    }
  }

  public static class SkipReturningInt {
    @DistributedLock(value = "count", onHeld = OnHeld.SKIP)
    public int count() {
      return 1;
    }
  }

  public static class DefaultPolicyReturningString {
    @DistributedLock("name")
    public String name() {
      return "x";
    }
  }

  public static class SkippableMethods {
    @DistributedLock(value = "a", onHeld = OnHeld.SKIP)
    public void run() {}

    @DistributedLock(value = "b", onHeld = OnHeld.SKIP)
    public Optional<String> find() {
      return Optional.of("b");
    }

    @DistributedLock(value = "c", onHeld = OnHeld.SKIP)
    public @Nullable String maybe() {
      return "c";
    }
  }

  public static class BadAttributes {
    @DistributedLock(value = "w", waitFor = "soon")
    public void waits() {}

    @DistributedLock(value = "t", ttl = "0s")
    public void shortTtl() {}

    @DistributedLock("h")
    void hidden() {}
  }

  public static class HoldsLong {
    @DistributedLock(value = "holds-long", holdAtLeast = "10m")
    public void run() {}
  }

  public static class TinyTtl {
    @DistributedLock(value = "tiny", ttl = "200ms")
    public void run() {}
  }

  public static class BadTemplate {
    @DistributedLock("order-#{#id")
    public void process(String id) {}
  }
}
