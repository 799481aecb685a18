package dev.dimutex.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jayway.jsonpath.JsonPath;
import dev.dimutex.InspectableLockRegistry;
import dev.dimutex.InvalidLockNameException;
import dev.dimutex.Lease;
import dev.dimutex.LeaseInfo;
import dev.dimutex.LockException;
import dev.dimutex.LockLostException;
import dev.dimutex.LockTimeoutException;
import dev.dimutex.emulator.EmulatorStorage;
import dev.dimutex.gcs.GcsLockRegistry;
import dev.dimutex.spring.actuate.DimutexMetrics;
import dev.dimutex.testing.Claim;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(
    classes = LockTestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "dimutex.gcs.bucket=" + TestEmulator.BUCKET,
      "dimutex.gcs.prefix=sbt/",
      "dimutex.ttl=10s",
      "dimutex.actuator.force-release-enabled=true",
      "management.endpoints.web.exposure.include=health,locks",
      "management.endpoint.health.show-details=always",
      "test.busy-wait=5s",
      "test.lock-prefix=shard",
      "spring.sql.init.mode=always"
    })
class DistributedLockSpringBootTests {

  /** Another instance of the application: same bucket and prefix, its own owner. */
  private static GcsLockRegistry otherInstance;

  @Autowired LockTestApplication.Jobs jobs;
  @Autowired InspectableLockRegistry registry;
  @Autowired MeterRegistry meters;
  @Autowired JdbcTemplate jdbc;
  @LocalServerPort int port;

  @DynamicPropertySource
  static void emulator(DynamicPropertyRegistry properties) {
    properties.add("dimutex.gcs.emulator-host", TestEmulator::hostPort);
  }

  @BeforeAll
  static void startOtherInstance() {
    otherInstance =
        GcsLockRegistry.builder(EmulatorStorage.create(TestEmulator.get()), TestEmulator.BUCKET)
            .prefix("sbt/")
            .ttl(Duration.ofSeconds(10))
            .build();
  }

  @AfterAll
  static void stopOtherInstance() {
    otherInstance.close();
  }

  private List<String> held() {
    return registry.heldLeases().stream().map(LeaseInfo::name).toList();
  }

  @Nested
  class WhenTheLockIsHeldElsewhere {

    @Test
    @Claim("C-STA-9")
    void skipDoesNotRunTheMethod() {
      try (Lease busy = otherInstance.obtain("busy").acquire(Duration.ofSeconds(5))) {
        jobs.calls().clear();
        jobs.skipWhenBusy();
        assertThat(jobs.optionalWhenBusy()).isEmpty();
        assertThat(jobs.nullableWhenBusy()).isNull();
        assertThat(jobs.calls()).isEmpty();
        assertThat(busy.isHealthy()).isTrue();
      }
    }

    @Test
    @Claim("C-STA-8")
    void failThrowsLockTimeoutExceptionNamingTheLockAndTheMethod() {
      try (Lease busy = otherInstance.obtain("busy").acquire(Duration.ofSeconds(5))) {
        jobs.calls().clear();
        assertThatThrownBy(() -> jobs.failWhenBusy())
            .isInstanceOf(LockTimeoutException.class)
            .hasMessageContaining("'busy'")
            .hasMessageContaining("Jobs.failWhenBusy()");
        assertThat(jobs.calls()).isEmpty();
        assertThat(busy.isHealthy()).isTrue();
      }
    }

    @Test
    @Claim("C-STA-3")
    void waitRunsTheMethodOnceTheOtherHolderReleases() throws Exception {
      Lease other = otherInstance.obtain("busy").acquire(Duration.ofSeconds(5));
      CompletableFuture<Void> release =
          CompletableFuture.runAsync(
              other::release, CompletableFuture.delayedExecutor(400, TimeUnit.MILLISECONDS));
      long start = System.nanoTime();
      long token = jobs.waitWhenBusy();
      long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      release.get(5, TimeUnit.SECONDS);
      assertThat(waitedMillis).isGreaterThanOrEqualTo(350);
      assertThat(token).isNotEqualTo(other.fencingToken());
      assertThat(held()).doesNotContain("busy");
    }
  }

  @Nested
  class Names {

    @Test
    void spelTemplateUsesMethodParameters() {
      assertThat(jobs.order("42")).isEqualTo("order-42");
    }

    @Test
    void spelTemplateUsesBeans() {
      assertThat(jobs.tenantSync()).isEqualTo("acme-sync");
    }

    @Test
    void placeholdersAreResolvedFromTheEnvironment() {
      assertThat(jobs.placeholder(3)).isEqualTo("shard-3");
    }

    @Test
    @Claim("C-STA-4")
    void argumentValuesAreNeverEvaluatedAsExpressions() {
      assertThat(jobs.raw("#{@tenant.id}")).isEqualTo("raw-#{@tenant.id}");
      assertThat(jobs.raw("${test.lock-prefix}")).isEqualTo("raw-${test.lock-prefix}");
    }

    @Test
    void templateThatCannotBeEvaluatedFailsTheCallNamingTemplateAndMethod() {
      jobs.calls().clear();
      assertThatThrownBy(() -> jobs.brokenTemplate("7"))
          .isInstanceOf(LockException.class)
          .hasMessageContaining("template 'x-#{#id.noSuchMethod()}'")
          .hasMessageContaining("Jobs.brokenTemplate(String)");
      assertThat(jobs.calls()).isEmpty();
    }

    @Test
    @Claim("C-STA-6")
    void invalidResolvedNameFailsTheCallNamingTemplateAndMethod() {
      jobs.calls().clear();
      assertThatThrownBy(() -> jobs.invalidName("x".repeat(2000)))
          .isInstanceOf(InvalidLockNameException.class)
          .hasMessageContaining("template 'long-#{#suffix}'")
          .hasMessageContaining("Jobs.invalidName(String)");
      assertThat(jobs.calls()).isEmpty();
    }
  }

  @Nested
  class Holding {

    @Test
    @Claim("C-STA-12")
    void nestedCallsOnTheSameNameAreReentrant() {
      long[] tokens = jobs.outer();
      assertThat(tokens[1]).isEqualTo(tokens[0]);
      assertThat(tokens[2]).isEqualTo(tokens[0]);
      assertThat(held()).doesNotContain("reentrant");
    }

    @Test
    @Claim("C-STA-3")
    void exceptionsReleaseTheLock() {
      assertThatThrownBy(() -> jobs.fails()).hasMessage("work failed");
      assertThat(held()).doesNotContain("throws");
      assertThat(otherInstance.obtain("throws").tryAcquire()).hasValueSatisfying(Lease::release);
    }

    @Test
    void currentLeaseIsAvailableInsideOnly() {
      jobs.checkHealth();
      assertThat(jobs.calls()).contains("checkHealth");
      assertThat(CurrentLease.find()).isEmpty();
      assertThatThrownBy(CurrentLease::get).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Claim("C-STA-13")
    void completableFutureKeepsTheLockUntilCompletion() throws Exception {
      CompletableFuture<String> gate = new CompletableFuture<>();
      CompletableFuture<String> result = jobs.async(gate);
      assertThat(result).isNotDone();
      assertThat(held()).contains("async");
      assertThat(otherInstance.obtain("async").tryAcquire()).isEmpty();
      gate.complete("done");
      String value = result.get(5, TimeUnit.SECONDS);
      assertThat(value).startsWith("done@");
      assertThat(held()).doesNotContain("async");
    }

    @Test
    @Claim("C-STA-13")
    void failedCompletableFutureReleasesTheLockAndKeepsTheFailure() {
      CompletableFuture<String> gate = new CompletableFuture<>();
      CompletableFuture<String> result = jobs.asyncFailing(gate);
      assertThat(held()).contains("async-failing");
      gate.complete("go");
      assertThatThrownBy(() -> result.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasRootCauseMessage("async work failed");
      assertThat(held()).doesNotContain("async-failing");
    }

    @Test
    @Claim("C-STA-14")
    void lockIsReleasedOnlyAfterTheTransactionCommits() {
      jobs.heldDuringCommit().clear();
      jobs.transactional();
      assertThat(jobs.heldDuringCommit()).containsExactly(true);
      assertThat(jdbc.queryForObject("select count(*) from audit where name = 'tx'", Long.class))
          .isPositive();
      assertThat(held()).doesNotContain("tx");
    }

    @Test
    @Claim("C-STA-14")
    void lockIsReleasedOnlyAfterTheTransactionRollsBack() {
      jobs.heldDuringCommit().clear();
      assertThatThrownBy(() -> jobs.transactionalFailing()).hasMessage("roll back");
      assertThat(jobs.heldDuringCommit()).containsExactly(true);
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from audit where name = 'rolled-back'", Long.class))
          .isZero();
      assertThat(held()).doesNotContain("tx");
    }

    @Test
    @Claim("C-STA-15")
    void holdAtLeastKeepsTheLockAfterAQuickMethodReturns() throws Exception {
      jobs.calls().clear();
      long start = System.nanoTime();
      jobs.quick();
      long returnedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(returnedAfter).as("the caller is not blocked").isLessThan(2500);
      jobs.quick();
      assertThat(jobs.calls()).as("the second call is skipped").containsExactly("quick");
      assertThat(held()).contains("min-hold");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (held().contains("min-hold") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(2900);
      assertThat(held()).doesNotContain("min-hold");
    }

    @Test
    void ttlOverrideGivesTheLeaseItsOwnTtl() {
      assertThat(jobs.ttlOverride()).isEqualTo(Duration.ofSeconds(7));
    }
  }

  @Nested
  class Actuator {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(String method, String path) throws Exception {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .method(method, HttpRequest.BodyPublishers.noBody())
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void locksEndpointListsHeldLeasesAndLockObjects() throws Exception {
      CompletableFuture<String> gate = new CompletableFuture<>();
      CompletableFuture<String> result = jobs.async(gate);
      try (Lease other = otherInstance.obtain("elsewhere").acquire(Duration.ofSeconds(5))) {
        HttpResponse<String> response = send("GET", "/actuator/locks");
        assertThat(response.statusCode()).isEqualTo(200);
        String json = response.body();
        List<String> heldNames = JsonPath.read(json, "$.held[*].name");
        assertThat(heldNames).contains("async");
        List<String> objectNames = JsonPath.read(json, "$.objects[*].name");
        assertThat(objectNames).contains("async", "elsewhere");
        List<String> owners = JsonPath.read(json, "$.objects[?(@.name == 'elsewhere')].ownerId");
        assertThat(owners).containsExactly(otherInstance.ownerId());
        List<Boolean> mine =
            JsonPath.read(json, "$.objects[?(@.name == 'async')].heldByThisInstance");
        assertThat(mine).containsExactly(true);
        assertThat((String) JsonPath.read(json, "$.bucket")).isEqualTo(TestEmulator.BUCKET);
        assertThat(other.isHealthy()).isTrue();
      } finally {
        gate.complete("done");
        result.get(5, TimeUnit.SECONDS);
      }
    }

    @Test
    void healthShowsEachHeldLock() throws Exception {
      CompletableFuture<String> gate = new CompletableFuture<>();
      CompletableFuture<String> result = jobs.async(gate);
      try {
        HttpResponse<String> response = send("GET", "/actuator/health/dimutex");
        assertThat(response.statusCode()).isEqualTo(200);
        String json = response.body();
        assertThat((String) JsonPath.read(json, "$.status")).isEqualTo("UP");
        List<Map<String, Object>> locks =
            JsonPath.read(json, "$.details.locks[?(@.name == 'async')]");
        assertThat(locks).hasSize(1);
        assertThat(locks.get(0))
            .containsKeys("fencingToken", "heldSince", "lastConfirmedRefresh")
            .containsEntry("healthy", true);
      } finally {
        gate.complete("done");
        result.get(5, TimeUnit.SECONDS);
      }
    }

    @Test
    @Claim("C-STA-16")
    @Claim("C-STA-17")
    @Claim("C-GUA-6")
    @Claim("C-SEC-5")
    void healthTurnsDownWhenAHeldLeaseIsLostAndTheReleaseReportsIt() throws Exception {
      double lostBefore = meters.get(DimutexMetrics.LOST).counter().count();
      CompletableFuture<String> gate = new CompletableFuture<>();
      CompletableFuture<String> result = jobs.async(gate);
      otherInstance.obtain("async").forceRelease();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      HttpResponse<String> response = send("GET", "/actuator/health/dimutex");
      while (response.statusCode() == 200 && System.nanoTime() < deadline) {
        Thread.sleep(100);
        response = send("GET", "/actuator/health/dimutex");
      }
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat((String) JsonPath.read(response.body(), "$.status")).isEqualTo("DOWN");
      // The registry no longer lists a lost lease as held; the health reports it as lost.
      List<String> lost =
          JsonPath.read(response.body(), "$.details.lostLocks[?(@.name == 'async')].name");
      assertThat(lost).containsExactly("async");
      assertThat(meters.get(DimutexMetrics.LOST).counter().count()).isGreaterThan(lostBefore);
      gate.complete("done");
      assertThatThrownBy(() -> result.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(LockLostException.class);
      // Taking the same lock again is the news that supersedes the loss.
      assertThat(jobs.async(CompletableFuture.completedFuture("again")).get(5, TimeUnit.SECONDS))
          .startsWith("again@");
      assertThat(send("GET", "/actuator/health/dimutex").statusCode()).isEqualTo(200);
    }

    @Test
    @Claim("C-STA-18")
    @Claim("C-SEC-3")
    void forceReleaseRemovesALockHeldElsewhere() throws Exception {
      Lease other = otherInstance.obtain("stuck/job").acquire(Duration.ofSeconds(5));
      HttpResponse<String> response = send("POST", "/actuator/locks/stuck/job");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat((Boolean) JsonPath.read(response.body(), "$.forceReleased")).isTrue();
      assertThat(otherInstance.obtain("stuck/job").isLocked()).isFalse();
      assertThatThrownBy(other::release).isInstanceOf(LockLostException.class);
    }
  }

  @Nested
  class Metrics {

    @Test
    @Claim("C-STA-19")
    void outcomesAreCountedByNameTemplate() {
      jobs.order("7");
      jobs.order("8");
      try (Lease busy = otherInstance.obtain("busy").acquire(Duration.ofSeconds(5))) {
        jobs.skipWhenBusy();
        assertThatThrownBy(() -> jobs.failWhenBusy()).isInstanceOf(LockTimeoutException.class);
        assertThat(busy.isHealthy()).isTrue();
      }
      assertThat(
              meters
                  .get(DimutexMetrics.OUTCOMES)
                  .tags("lock", "order-#{#id}", "outcome", "acquired")
                  .counter()
                  .count())
          .isGreaterThanOrEqualTo(2);
      assertThat(
              meters
                  .get(DimutexMetrics.OUTCOMES)
                  .tags("lock", "busy", "outcome", "skipped")
                  .counter()
                  .count())
          .isGreaterThanOrEqualTo(1);
      assertThat(
              meters
                  .get(DimutexMetrics.ACQUIRE)
                  .tags("lock", "busy", "outcome", "timed_out")
                  .timer()
                  .count())
          .isGreaterThanOrEqualTo(1);
      assertThat(meters.find(DimutexMetrics.OUTCOMES).tag("lock", "order-7").counters()).isEmpty();
    }

    @Test
    void heldLocksShowInTheLongTaskTimer() throws Exception {
      CompletableFuture<String> gate = new CompletableFuture<>();
      CompletableFuture<String> result = jobs.async(gate);
      assertThat(meters.get(DimutexMetrics.HELD).tag("lock", "async").longTaskTimer().activeTasks())
          .isEqualTo(1);
      gate.complete("done");
      result.get(5, TimeUnit.SECONDS);
      assertThat(meters.get(DimutexMetrics.HELD).tag("lock", "async").longTaskTimer().activeTasks())
          .isZero();
    }

    @Test
    void leaseCountersAreRegistered() {
      // find() answers null for a missing meter (get() would throw before the assertion ran)
      assertThat(meters.find(DimutexMetrics.LOST).counter()).isNotNull();
      assertThat(meters.find(DimutexMetrics.REFRESH_FAILURES).counter()).isNotNull();
      assertThat(meters.find(DimutexMetrics.TAKEOVERS).counter()).isNotNull();
    }
  }
}
