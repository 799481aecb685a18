package dev.dimutex.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.emulator.RawHttp.Answer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin HTTP API under /_emulator, as a chaos harness in another process would drive it. */
class AdminApiTest {
  private static final String BUCKET = "admin-bucket";
  private static final String OBJECT = "/storage/v1/b/" + BUCKET + "/o/thing";
  private static GcsEmulator emulator;
  private static RawHttp http;

  @BeforeAll
  static void start() {
    emulator = GcsEmulator.builder().bucket(BUCKET).adminApi(true).start();
    http = new RawHttp(emulator.baseUrl());
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @BeforeEach
  void reset() {
    assertThat(http.send("DELETE", "/_emulator/faults", "").status()).isEqualTo(204);
    http.send("POST", "/upload/storage/v1/b/" + BUCKET + "/o?uploadType=media&name=thing", "x");
    assertThat(http.send("DELETE", "/_emulator/requests", "").status()).isEqualTo(204);
  }

  private static List<Object> field(List<?> objects, String key) {
    List<Object> out = new java.util.ArrayList<>();
    objects.forEach(o -> out.add(((Map<?, ?>) o).get(key)));
    return out;
  }

  /** Admin writes must be JSON (a browser form cannot post that without a preflight). */
  private static Answer postFaults(String body) {
    return http.send("POST", "/_emulator/faults", body, "Content-Type", "application/json");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x"
      })
  @Tag("C-EMU-22")
  void adminWritesThatAreNotJsonAreRefusedAndChangeNothing(String contentType) {
    String rule = "{\"type\":\"failRate\",\"probability\":1,\"status\":500}";
    Answer refused =
        contentType.isEmpty()
            ? http.send("POST", "/_emulator/faults", rule)
            : http.send("POST", "/_emulator/faults", rule, "Content-Type", contentType);

    assertThat(refused.assertGcsError(415)).isEqualTo("invalid");
    assertThat((List<?>) http.get("/_emulator/faults").json().get("rules")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\":\"delay\",\"millis\":60001}",
        "{\"type\":\"delay\",\"minMillis\":0,\"maxMillis\":1e300}",
        "{\"type\":\"delay\",\"millis\":\"NaN\"}",
        "{\"type\":\"delay\",\"millis\":\"Infinity\"}",
        "{\"type\":\"failRate\",\"probability\":\"NaN\",\"status\":500}"
      })
  @Tag("C-EMU-21")
  void unboundedDelaysAndNonFiniteNumbersAreRefused(String rule) {
    postFaults(rule).assertGcsError(400);

    assertThat((List<?>) http.get("/_emulator/faults").json().get("rules")).isEmpty();
  }

  @Test
  @Tag("C-EMU-24")
  void aFailNextRuleAddedOverHttpFailsTheNextMatchingRequest() {
    Answer added =
        postFaults(
            "{\"type\":\"failNext\",\"count\":1,\"status\":503,"
                + "\"match\":{\"operations\":[\"OBJECT_GET\"],\"bucket\":\"admin-bucket\"}}");

    assertThat(added.status()).isEqualTo(200);
    assertThat((List<?>) added.json().get("rules")).hasSize(1);
    assertThat(http.get(OBJECT).assertGcsError(503)).isEqualTo("backendError");
    assertThat(http.get(OBJECT).status()).isEqualTo(200);
    assertThat((List<?>) http.get("/_emulator/faults").json().get("rules")).isEmpty();
  }

  @Test
  @Tag("C-EMU-24")
  void severalRulesAndTheRateLimitCanBeSetAtOnce() {
    Answer added =
        postFaults(
            "{\"rules\":[{\"type\":\"delay\",\"minMillis\":1,\"maxMillis\":3},"
                + "{\"type\":\"failRate\",\"probability\":0.0,\"statuses\":[429,500,503]},"
                + "{\"type\":\"dropRate\",\"probability\":0.0,\"match\":{\"objectMutations\":true}}],"
                + "\"objectMutationRateLimit\":0.5}");

    Map<String, Object> faults = added.json();
    assertThat(field((List<?>) faults.get("rules"), "type"))
        .containsExactly("delay", "failRate", "dropRate");
    assertThat(faults.get("objectMutationRateLimit")).isEqualTo(java.math.BigDecimal.valueOf(0.5));
    assertThat(http.send("PATCH", OBJECT, "{}").status()).isEqualTo(200);
    assertThat(http.send("PATCH", OBJECT, "{}").assertGcsError(429)).isEqualTo("rateLimitExceeded");
  }

  @Test
  void aDropRuleAppliesTheRequestAndClosesTheConnection() {
    postFaults("{\"type\":\"dropResponseNext\",\"count\":1,\"match\":{\"methods\":[\"PATCH\"]}}");

    boolean failed;
    try {
      http.send("PATCH", OBJECT, "{\"metadata\":{\"k\":\"v\"}}");
      failed = false;
    } catch (AssertionError e) {
      failed = true;
    }

    assertThat(failed).as("the client saw no response").isTrue();
    assertThat(http.get(OBJECT).json().get("metadata")).isEqualTo(Map.of("k", "v"));
  }

  @Test
  @Tag("C-EMU-25")
  void theRequestLogCanBeReadIncrementally() {
    http.get(OBJECT);
    Answer first = http.get("/_emulator/requests");
    long last = (Long) first.json().get("lastSequence");
    http.send("DELETE", OBJECT, "");
    Answer next = http.get("/_emulator/requests?after=" + last);

    List<?> firstEntries = (List<?>) first.json().get("entries");
    assertThat(firstEntries).hasSize(1);
    Map<?, ?> entry = (Map<?, ?>) firstEntries.get(0);
    assertThat(entry.get("operation")).isEqualTo("OBJECT_GET");
    assertThat(entry.get("bucket")).isEqualTo(BUCKET);
    assertThat(entry.get("object")).isEqualTo("thing");
    assertThat(entry.get("status")).isEqualTo(200L);
    assertThat(entry.get("startNanos")).isInstanceOf(Long.class);
    List<?> nextEntries = (List<?>) next.json().get("entries");
    assertThat(field(nextEntries, "operation")).containsExactly("OBJECT_DELETE");
  }

  @Test
  @Tag("C-EMU-26")
  void countersSummariseTheLog() {
    http.get(OBJECT);
    http.get("/storage/v1/b/" + BUCKET + "/o/missing");

    Map<String, Object> counters = http.get("/_emulator/counters").json();

    assertThat(counters.get("total")).isEqualTo(2L);
    assertThat(counters.get("byOperation")).isEqualTo(Map.of("OBJECT_GET", 2L));
    assertThat(counters.get("byStatus")).isEqualTo(Map.of("200", 1L, "404", 1L));
  }

  @Test
  @Tag("C-EMU-28")
  void timeReportsTheEmulatorsClocks() {
    Map<String, Object> time = http.get("/_emulator/time").json();

    assertThat(time.get("nanoTime")).isInstanceOf(Long.class);
    assertThat((String) time.get("time")).endsWith("Z");
  }

  @Test
  @Tag("C-EMU-23")
  void invalidRulesAnswer400AndChangeNothing() {
    for (String body :
        List.of(
            "{\"type\":\"failNext\",\"count\":0,\"status\":503}",
            "{\"type\":\"failNext\",\"count\":1,\"status\":200}",
            "{\"type\":\"failRate\",\"probability\":2,\"status\":500}",
            "{\"type\":\"explode\"}",
            "{\"rules\":[{\"type\":\"delay\",\"millis\":5},{\"type\":\"nope\"}]}",
            "{\"type\":\"delay\",\"millis\":5,\"match\":{\"operations\":[\"NOPE\"]}}",
            "{\"type\":\"delay\",\"millis\":5,\"match\":{\"colour\":\"red\"}}",
            "{}",
            "not json")) {
      postFaults(body).assertGcsError(400);
    }

    assertThat((List<?>) http.get("/_emulator/faults").json().get("rules")).isEmpty();
  }

  @Test
  @Tag("C-EMU-27")
  void theStorageEndpointShowsWhatTheObjectStoreHolds() {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> buckets =
        (List<Map<String, Object>>) http.get("/_emulator/storage").json().get("buckets");

    assertThat(buckets)
        .anySatisfy(
            b ->
                assertThat(b)
                    .containsEntry("name", BUCKET)
                    .containsEntry("objects", 1L)
                    .containsEntry("bytes", 1L));
  }

  @Test
  @Tag("C-EMU-23")
  void unknownEndpointsAndMethodsAreRefused() {
    http.get("/_emulator/nothing").assertGcsError(404);
    http.send("PUT", "/_emulator/faults", "{}").assertGcsError(405);
  }

  @Test
  @Tag("C-EMU-9")
  void adminRequestsAreNeverFaulted() {
    postFaults("{\"type\":\"failRate\",\"probability\":1,\"status\":500}");

    assertThat(http.get("/_emulator/faults").status()).isEqualTo(200);
    assertThat(http.get(OBJECT).status()).isEqualTo(500);
  }
}
