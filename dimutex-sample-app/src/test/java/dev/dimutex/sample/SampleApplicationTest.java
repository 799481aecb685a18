package dev.dimutex.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dimutex.Lease;
import dev.dimutex.LockRegistry;
import dev.dimutex.emulator.GcsEmulator;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;

@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sample.instance-id=test",
      "sample.report.cron=-", // the scheduled job has its own test with two instances
      "sample.orders.work=400ms",
      "sample.migration.steps=3",
      "sample.migration.step-duration=300ms",
      "dimutex.ttl=10s"
    })
class SampleApplicationTest {

  private static final ExecutorService CLIENTS = Executors.newFixedThreadPool(6);

  @LocalServerPort int port;
  @Autowired ApplicationContext context;
  @Autowired CriticalSectionLog history;

  Http http;

  @BeforeEach
  void connect() {
    http = new Http(port);
  }

  @AfterAll
  static void stopClients() {
    CLIENTS.shutdownNow();
  }

  @Nested
  class OnStartup {

    @Test
    void startsAnEmbeddedEmulatorAndPointsTheStarterAtIt() {
      GcsEmulator emulator =
          context.getBean(EmbeddedEmulatorInitializer.BEAN_NAME, GcsEmulator.class);
      Environment environment = context.getEnvironment();

      assertThat(environment.getProperty("dimutex.gcs.emulator-host"))
          .isEqualTo(emulator.baseUrl());
      assertThat(context.getBeanProvider(LockRegistry.class).getIfAvailable()).isNotNull();
    }

    @Test
    void listsItsEndpointsAtTheRoot() {
      Http.Response response = http.get("/");

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().path("instance").asString()).isEqualTo("test");
    }

    @Test
    void reportsHealthUpWithTheDimutexContributor() {
      Http.Response response = http.get("/actuator/health");

      assertThat(response.status()).isEqualTo(200);
      JsonNode health = response.json();
      assertThat(health.path("status").asString()).isEqualTo("UP");
      assertThat(health.path("components").has("dimutex")).isTrue();
      assertThat(health.path("components").path("dimutex").path("status").asString())
          .isEqualTo("UP");
    }

    @Test
    void exposesTheLocksEndpointListingALeaseWhileItIsHeld() {
      LockRegistry locks = context.getBean(LockRegistry.class);

      try (Lease lease = locks.obtain("held-by-the-test").acquire(Duration.ofSeconds(5))) {
        Http.Response response = http.get("/actuator/locks");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("held").toString())
            .contains("held-by-the-test", Long.toString(lease.fencingToken()));
        assertThat(response.json().path("objects").toString()).contains("held-by-the-test");
      }
      assertThat(http.get("/actuator/locks").json().path("held").toString())
          .doesNotContain("held-by-the-test");
    }
  }

  @Nested
  class OrdersEndpoint {

    /*
     * Neither test depends on when the concurrent HTTP calls arrive: the test holds the order's
     * lock itself until it has seen every call waiting for it (a request thread parked inside the
     * locked OrderService.process), so the calls contend however slowly the machine runs.
     */

    @Test
    void runsConcurrentCallsForTheSameOrderOneAfterAnother() {
      Lease heldByTheTest = lockRegistry().obtain("order-same").acquire(Duration.ofSeconds(5));
      List<CompletableFuture<Http.Response>> calls = postAll(List.of("same", "same", "same"));
      awaitThreadsWaitingInProcess(3);
      assertThat(calls).noneMatch(CompletableFuture::isDone);
      long releasedAt = System.nanoTime();
      heldByTheTest.release();

      List<Http.Response> responses = calls.stream().map(CompletableFuture::join).toList();
      assertThat(responses).extracting(Http.Response::status).containsOnly(200);
      List<CriticalSection> sections = sortedByEnter(history.sections("order-same"));
      assertThat(sections).hasSize(3);
      assertThat(sections.get(0).enterNanos()).isGreaterThanOrEqualTo(releasedAt);
      for (int i = 1; i < sections.size(); i++) {
        assertThat(sections.get(i).enterNanos())
            .as("call %d starts after call %d ended", i + 1, i)
            .isGreaterThanOrEqualTo(sections.get(i - 1).exitNanos());
      }
      assertThat(sections).extracting(CriticalSection::fencingToken).doesNotHaveDuplicates();
      long longestWait =
          responses.stream().mapToLong(r -> r.json().path("waitedMs").asLong()).max().orElseThrow();
      assertThat(longestWait)
          .as("the last call waited for the two before it (400 ms of work each)")
          .isGreaterThanOrEqualTo(800);
    }

    @Test
    void callsForOtherOrdersDoNotWaitForAHeldOrder() {
      Lease heldByTheTest = lockRegistry().obtain("order-p1").acquire(Duration.ofSeconds(5));
      List<CompletableFuture<Http.Response>> calls = postAll(List.of("p1", "p2", "p3"));

      // p2 and p3 finish while p1's lock is still held by the test
      assertThat(calls.get(1).join().status()).isEqualTo(200);
      assertThat(calls.get(2).join().status()).isEqualTo(200);
      assertThat(calls.get(0)).isNotDone();
      assertThat(history.sections("order-p1")).isEmpty();
      assertThat(history.sections("order-p2")).hasSize(1);
      assertThat(history.sections("order-p3")).hasSize(1);

      heldByTheTest.release();
      assertThat(calls.get(0).join().status()).isEqualTo(200);
      assertThat(history.sections("order-p1")).hasSize(1);
    }

    private LockRegistry lockRegistry() {
      return context.getBean(LockRegistry.class);
    }

    /** Waits until {@code n} request threads are inside the locked method's proxy, waiting. */
    private void awaitThreadsWaitingInProcess(int n) {
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> threadsInProcess() >= n);
    }

    private static long threadsInProcess() {
      return Thread.getAllStackTraces().values().stream()
          .filter(
              frames ->
                  Arrays.stream(frames)
                      .anyMatch(
                          f ->
                              f.getClassName().startsWith(OrderService.class.getName())
                                  && f.getMethodName().equals("process")))
          .count();
    }

    private List<CompletableFuture<Http.Response>> postAll(List<String> ids) {
      return ids.stream()
          .map(
              id ->
                  CompletableFuture.supplyAsync(
                      () -> http.post("/orders/" + id + "/process"), CLIENTS))
          .toList();
    }
  }

  @Nested
  class InventoryEndpoint {

    @Test
    void passesTheFencingTokenDownstreamWhichRefusesAnOlderHolder() {
      JsonNode first = http.post("/inventory/widget/restock?amount=5").json();
      JsonNode second = http.post("/inventory/widget/restock?amount=3").json();

      assertThat(second.path("after").asInt()).isEqualTo(8);
      long oldToken = first.path("fencingToken").asLong();
      assertThat(second.path("fencingToken").asLong()).isGreaterThan(oldToken);

      Http.Response zombie =
          http.post("/inventory/widget/zombie-write?quantity=100&token=" + oldToken);

      assertThat(zombie.status()).isEqualTo(409);
      assertThat(zombie.body()).contains("Stale fencing token");
      assertThat(http.get("/inventory/widget").json().path("quantity").asInt()).isEqualTo(8);
    }
  }

  @Nested
  class MigrationEndpoint {

    @Test
    void refusesASecondRunWith409WhileTheFirstHoldsTheLock() {
      LockRegistry locks = context.getBean(LockRegistry.class);
      CompletableFuture<Http.Response> first =
          CompletableFuture.supplyAsync(() -> http.post("/migration"), CLIENTS);
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> locks.obtain(MigrationJob.LOCK).isLocked());

      Http.Response second = http.post("/migration");

      assertThat(second.status()).isEqualTo(409);
      Http.Response done = first.join();
      assertThat(done.status()).isEqualTo(200);
      assertThat(done.json().path("steps").asInt()).isEqualTo(3);
    }
  }

  private static List<CriticalSection> sortedByEnter(List<CriticalSection> sections) {
    return sections.stream().sorted(Comparator.comparingLong(CriticalSection::enterNanos)).toList();
  }
}
