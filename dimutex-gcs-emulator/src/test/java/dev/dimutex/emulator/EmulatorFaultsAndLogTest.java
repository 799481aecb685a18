package dev.dimutex.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Fault injection, the request log and the server clock, observed through the Java client. */
class EmulatorFaultsAndLogTest {
  private static final String BUCKET = "faults-bucket";
  private static GcsEmulator emulator;
  private static Storage storage;
  private String name = "";

  @BeforeAll
  static void start() {
    emulator = GcsEmulator.builder().bucket(BUCKET).start();
    storage = TestClients.fastRetries(emulator);
  }

  @AfterAll
  static void stop() throws Exception {
    storage.close();
    emulator.close();
  }

  @BeforeEach
  void reset() {
    emulator.faults().clear();
    emulator.requestLog().clear();
    name = "obj-" + UUID.randomUUID();
  }

  private BlobId id() {
    return BlobId.of(BUCKET, name);
  }

  private Blob createIfAbsent(String content) {
    return storage.create(
        BlobInfo.newBuilder(id()).build(),
        content.getBytes(StandardCharsets.UTF_8),
        BlobTargetOption.doesNotExist());
  }

  @Nested
  class FailNext {
    @Test
    void aFailedReadIsRetriedByTheClientAndLogged() {
      createIfAbsent("x");
      emulator.requestLog().clear();
      emulator.faults().failNext(2, 503, RequestMatcher.operation(Operation.OBJECT_GET));

      Blob blob = storage.get(id());

      assertThat(blob).isNotNull();
      List<LoggedRequest> log = emulator.requestLog().entries();
      assertThat(log).extracting(LoggedRequest::status).containsExactly(503, 503, 200);
      assertThat(log).extracting(LoggedRequest::faultInjected).containsExactly(true, true, false);
      assertThat(emulator.requestLog().count(Operation.OBJECT_GET)).isEqualTo(3);
    }

    @Test
    void aFailedWriteIsNotApplied() {
      emulator.faults().failNext(1, 429, RequestMatcher.objectMutations());

      // Without a precondition the client does not retry a create, so the 429 surfaces.
      assertThatThrownBy(() -> storage.create(BlobInfo.newBuilder(id()).build(), new byte[] {1}))
          .isInstanceOfSatisfying(
              StorageException.class,
              e -> {
                assertThat(e.getCode()).isEqualTo(429);
                assertThat(e.getReason()).isEqualTo("rateLimitExceeded");
              });
      assertThat(storage.get(id())).isNull();
    }

    @Test
    void onlyMatchingRequestsAreFailed() {
      createIfAbsent("x");
      emulator.faults().failNext(1, 500, RequestMatcher.object(BUCKET, "some-other-object"));

      assertThat(storage.get(id())).isNotNull();
      assertThat(emulator.requestLog().entries())
          .extracting(LoggedRequest::faultInjected)
          .containsOnly(false);
    }

    @Test
    @Tag("C-EMU-7")
    void rulesApplyInTheOrderAdded() {
      createIfAbsent("x");
      emulator.requestLog().clear();
      emulator.faults().failNext(1, 500, RequestMatcher.any());
      emulator.faults().failNext(1, 503, RequestMatcher.any());

      storage.get(id());

      assertThat(emulator.requestLog().entries())
          .extracting(LoggedRequest::status)
          .containsExactly(500, 503, 200);
    }

    @Test
    void clearRemovesEveryRule() {
      createIfAbsent("x");
      emulator.requestLog().clear();
      emulator.faults().failNext(5, 500, RequestMatcher.any());
      emulator.faults().clear();

      storage.get(id());

      assertThat(emulator.requestLog().entries())
          .extracting(LoggedRequest::status)
          .containsExactly(200);
    }

    @Test
    void invalidArgumentsAreRejected() {
      assertThatThrownBy(() -> emulator.faults().failNext(0, 500, RequestMatcher.any()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("count");
      assertThatThrownBy(() -> emulator.faults().failNext(1, 200, RequestMatcher.any()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("status");
      assertThatThrownBy(() -> emulator.faults().failRate(1.5, 500, RequestMatcher.any()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("probability");
    }
  }

  @Nested
  class DroppedResponses {
    @Test
    void aDroppedCreateWasAppliedAndTheClientsRetrySeesIts412() {
      emulator.faults().dropResponseNext(1, RequestMatcher.operation(Operation.OBJECT_INSERT));

      assertTimeoutPreemptively(
          Duration.ofSeconds(30),
          () ->
              assertThatThrownBy(() -> createIfAbsent("mine"))
                  .isInstanceOfSatisfying(
                      StorageException.class, e -> assertThat(e.getCode()).isEqualTo(412)));

      assertThat(storage.readAllBytes(id())).asString().isEqualTo("mine");
      List<LoggedRequest> inserts =
          emulator.requestLog().entries().stream()
              .filter(e -> e.request().operation() == Operation.OBJECT_INSERT)
              .toList();
      assertThat(inserts).extracting(LoggedRequest::responseDropped).containsExactly(true, false);
      assertThat(inserts).extracting(LoggedRequest::status).containsExactly(200, 412);
    }

    @Test
    void anEmulatorStorageClientRetriesADroppedResponseInsteadOfHanging() throws Exception {
      Storage defaults = EmulatorStorage.create(emulator);
      try {
        createIfAbsent("x");
        emulator.faults().dropResponseNext(1, RequestMatcher.operation(Operation.OBJECT_GET));

        long start = System.nanoTime();
        Blob blob = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> defaults.get(id()));
        System.out.printf(
            "EmulatorStorage client: dropped GET recovered after %.0f ms%n",
            (System.nanoTime() - start) / 1e6);

        assertThat(blob).isNotNull();
        assertThat(emulator.requestLog().entries())
            .filteredOn(e -> e.request().operation() == Operation.OBJECT_GET)
            .extracting(LoggedRequest::responseDropped)
            .containsExactly(true, false);
      } finally {
        defaults.close();
      }
    }

    @Test
    @Tag("C-EMU-8")
    void aDroppedNonIdempotentCreateSurfacesAsAnErrorAlthoughItWasApplied() {
      emulator.faults().dropResponseNext(1, RequestMatcher.operation(Operation.OBJECT_INSERT));

      assertTimeoutPreemptively(
          Duration.ofSeconds(30),
          () ->
              assertThatThrownBy(
                      () ->
                          storage.create(
                              BlobInfo.newBuilder(id()).build(),
                              "applied".getBytes(StandardCharsets.UTF_8)))
                  .isInstanceOf(StorageException.class));

      assertThat(storage.readAllBytes(id())).asString().isEqualTo("applied");
    }

    @Test
    void aDroppedReadIsRetried() {
      createIfAbsent("x");
      emulator.faults().dropResponseNext(1, RequestMatcher.operation(Operation.OBJECT_GET));

      Blob blob = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> storage.get(id()));

      assertThat(blob).isNotNull();
      assertThat(emulator.requestLog().count(Operation.OBJECT_GET)).isEqualTo(2);
    }

    @Test
    void dropRateOneDropsEveryMatchingResponse() {
      createIfAbsent("x");
      emulator.faults().dropRate(1.0, RequestMatcher.operation(Operation.OBJECT_GET));

      assertTimeoutPreemptively(
          Duration.ofSeconds(30),
          () -> assertThatThrownBy(() -> storage.get(id())).isInstanceOf(StorageException.class));

      // The client retries I/O errors (also inside its HTTP layer): every attempt was dropped.
      assertThat(emulator.requestLog().entries())
          .filteredOn(e -> e.request().operation() == Operation.OBJECT_GET)
          .extracting(LoggedRequest::responseDropped)
          .containsOnly(true)
          .hasSizeGreaterThanOrEqualTo(2);
    }
  }

  @Nested
  class Rates {
    @Test
    void failRateOneFailsEveryMatchingRequestAndZeroNone() {
      createIfAbsent("x");
      emulator.faults().failRate(0.0, 500, RequestMatcher.any());
      assertThat(storage.get(id())).isNotNull();

      emulator.faults().failRate(1.0, 503, RequestMatcher.operation(Operation.OBJECT_GET));
      assertThatThrownBy(() -> storage.get(id()))
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.getCode()).isEqualTo(503));
    }

    @Test
    void delayAddsLatencyToMatchingRequests() {
      createIfAbsent("x");
      emulator.requestLog().clear();
      emulator
          .faults()
          .delay(Duration.ofMillis(150), RequestMatcher.operation(Operation.OBJECT_GET));

      storage.get(id());

      assertThat(emulator.requestLog().entries().get(0).durationNanos())
          .isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
    }

    @Test
    void theMutationRateLimitAnswers429PerObject() {
      emulator.faults().objectMutationRateLimit(0.1);
      Blob blob = createIfAbsent("x");

      assertThatThrownBy(
              () -> storage.update(blob.toBuilder().setMetadata(Map.of("k", "v")).build()))
          .isInstanceOfSatisfying(
              StorageException.class,
              e -> {
                assertThat(e.getCode()).isEqualTo(429);
                assertThat(e.getReason()).isEqualTo("rateLimitExceeded");
              });
      name = name + "-other";
      assertThat(createIfAbsent("y")).isNotNull();
      assertThat(storage.get(blob.getBlobId()).getMetadata()).isNull();
      assertThat(emulator.requestLog().entries())
          .filteredOn(e -> e.status() == 429)
          .allMatch(LoggedRequest::faultInjected);
    }

    @Test
    void readsAreNotRateLimited() {
      emulator.faults().objectMutationRateLimit(0.1);
      createIfAbsent("x");

      for (int i = 0; i < 5; i++) {
        assertThat(storage.get(id())).isNotNull();
      }
    }
  }

  @Nested
  class RequestLogCounts {
    @Test
    void eachClientCallCostsTheExpectedRequests() {
      Blob blob = createIfAbsent("x");
      storage.get(id());
      storage.update(
          blob.toBuilder().setMetadata(Map.of("k", "v")).build(),
          BlobTargetOption.metagenerationMatch(1));
      storage.delete(id(), Storage.BlobSourceOption.generationMatch(blob.getGeneration()));

      RequestLog log = emulator.requestLog();
      assertThat(log.count(Operation.OBJECT_INSERT)).isEqualTo(1);
      assertThat(log.count(Operation.OBJECT_GET)).isEqualTo(1);
      assertThat(log.count(Operation.OBJECT_PATCH)).isEqualTo(1);
      assertThat(log.count(Operation.OBJECT_DELETE)).isEqualTo(1);
      assertThat(log.count(RequestMatcher.objectMutations())).isEqualTo(3);
      assertThat(log.count(RequestMatcher.object(BUCKET, name))).isEqualTo(4);
      assertThat(log.entries())
          .extracting(LoggedRequest::sequence)
          .isSorted()
          .doesNotHaveDuplicates();
    }

    @Test
    void entriesDescribeTheRequest() {
      createIfAbsent("x");

      LoggedRequest entry = emulator.requestLog().entries().get(0);
      assertThat(entry.request().method()).isEqualTo("POST");
      assertThat(entry.request().path()).isEqualTo("/upload/storage/v1/b/" + BUCKET + "/o");
      assertThat(entry.request().query()).containsEntry("ifGenerationMatch", "0");
      assertThat(entry.request().bucket()).isEqualTo(BUCKET);
      assertThat(entry.request().object()).isEqualTo(name);
      assertThat(entry.status()).isEqualTo(200);
      assertThat(entry.durationNanos()).isPositive();
    }

    @Test
    void clearForgetsEntriesAndCounters() {
      createIfAbsent("x");
      emulator.requestLog().clear();

      assertThat(emulator.requestLog().entries()).isEmpty();
      assertThat(emulator.requestLog().count(Operation.OBJECT_INSERT)).isZero();
    }

    @Test
    void matchersCombine() {
      RequestInfo get = new RequestInfo("GET", "/p", Map.of(), Operation.OBJECT_GET, BUCKET, "a");
      RequestInfo patch =
          new RequestInfo("PATCH", "/p", Map.of(), Operation.OBJECT_PATCH, BUCKET, "a");
      RequestInfo admin =
          new RequestInfo("GET", "/_emulator/faults", Map.of(), Operation.ADMIN, null, null);

      assertThat(RequestMatcher.any().matches(get)).isTrue();
      assertThat(RequestMatcher.any().matches(admin)).isFalse();
      assertThat(RequestMatcher.objectMutations().matches(patch)).isTrue();
      assertThat(RequestMatcher.objectMutations().matches(get)).isFalse();
      assertThat(
              RequestMatcher.object(BUCKET, "a").and(RequestMatcher.objectMutations()).matches(get))
          .isFalse();
      assertThat(
              RequestMatcher.operation(Operation.OBJECT_GET, Operation.OBJECT_PATCH).matches(patch))
          .isTrue();
    }
  }

  @Nested
  class ServerClock {
    @Test
    @Tag("C-EMU-4")
    void timesComeFromTheInjectedClockAndGenerationsStillIncrease() throws Exception {
      Instant fixed = Instant.parse("2031-05-06T07:08:09.123Z");
      try (GcsEmulator fixedClock =
          GcsEmulator.builder()
              .bucket("clock-bucket")
              .clock(Clock.fixed(fixed, ZoneOffset.UTC))
              .start()) {
        Storage client = EmulatorStorage.create(fixedClock);
        try {
          Blob first =
              client.create(BlobInfo.newBuilder("clock-bucket", "a").build(), new byte[] {1});
          Blob second =
              client.create(BlobInfo.newBuilder("clock-bucket", "a").build(), new byte[] {2});
          Blob patched = client.update(second.toBuilder().setMetadata(Map.of("k", "v")).build());

          assertThat(first.getCreateTimeOffsetDateTime().toInstant()).isEqualTo(fixed);
          assertThat(patched.getUpdateTimeOffsetDateTime().toInstant()).isEqualTo(fixed);
          assertThat(second.getGeneration()).isGreaterThan(first.getGeneration());
          assertThat(fixedClock.clock().instant()).isEqualTo(fixed);
        } finally {
          client.close();
        }
      }
    }
  }
}
