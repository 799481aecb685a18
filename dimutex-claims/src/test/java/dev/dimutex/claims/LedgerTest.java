package dev.dimutex.claims;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LedgerTest {

  private static final String README =
      """
      # Title

      A stale takeover costs two requests [C-REQ-1]. A held lock
      answers a try with two requests [C-REQ-2].

      ```java
      // not a claim: [C-REQ-9]
      ```

      | row | figure |
      | --- | --- |
      | held locks | 10 000 [C-PERF-1: bench scale_held_locks] |
      - release is conditional [C-REL-1]
      """;

  private static final String TEST_SOURCE =
      "package x;\n"
          + "class GcsTest {\n"
          + "  // @Claim(\"C-OLD-1\") in a comment does not count\n"
          + "  @Test\n"
          + "  @Claim(\"C-REQ-1\")\n"
          + "  @Claim(\"C-REQ-2\")\n"
          + "  void staleTakeoverCostsTwoRequests() {}\n"
          + "  @Tag(\"C-REL-1\") @Tag(\"slow\") @Test void releaseIsConditional() {}\n"
          + "  String s = \"// not a comment\"; @Claim(\"C-REL-1\") @Nested class Inner {}\n"
          + "}\n";

  private static Ledger ledger(List<TestReference> references, Set<String> keys) {
    return new Ledger(Documents.scan("README.md", README), references, keys);
  }

  @Nested
  class Documents_ {

    @Test
    void markersOutsideCodeBlocksAreClaimsWithTheSentenceThatEndsAtThem() {
      assertThat(Documents.scan("README.md", README))
          .containsExactly(
              new DocumentClaim(
                  "C-REQ-1", "README.md", "A stale takeover costs two requests", null),
              new DocumentClaim(
                  "C-REQ-2", "README.md", "A held lock answers a try with two requests", null),
              new DocumentClaim("C-PERF-1", "README.md", "held locks: 10 000", "scale_held_locks"),
              new DocumentClaim("C-REL-1", "README.md", "release is conditional", null));
    }

    @Test
    void aLongStatementIsShortenedForTheTable() {
      assertThat(Documents.statement("x".repeat(300))).hasSize(110).endsWith("…");
    }
  }

  @Nested
  class TestSources_ {

    @Test
    void claimAnnotationsAndClaimTagsNameTheMethodOrClassTheyMark() {
      assertThat(TestSources.scan("dimutex-core", "GcsTest", TEST_SOURCE))
          .containsExactly(
              new TestReference("C-REQ-1", "dimutex-core: GcsTest#staleTakeoverCostsTwoRequests"),
              new TestReference("C-REQ-2", "dimutex-core: GcsTest#staleTakeoverCostsTwoRequests"),
              new TestReference("C-REL-1", "dimutex-core: GcsTest#releaseIsConditional"),
              new TestReference("C-REL-1", "dimutex-core: Inner"));
    }

    @Test
    void benchmarkKeysAreReadFromTheKeysList() {
      String results =
          "final class Results {\n  static final List<String> KEYS =\n"
              + "      List.of(\n          \"requests_per_acquire\",\n          \"scale_held_locks\");\n}";

      assertThat(Repository.benchmarkKeys(results))
          .containsExactly("requests_per_acquire", "scale_held_locks");
    }
  }

  @Nested
  class Problems {

    private final List<TestReference> allBacked =
        TestSources.scan("dimutex-core", "GcsTest", TEST_SOURCE);

    @Test
    void aLedgerWhereEveryClaimIsBackedHasNoProblems() {
      assertThat(ledger(allBacked, Set.of("scale_held_locks")).problems()).isEmpty();
    }

    @Test
    void aClaimWithoutATestIsAProblem() {
      List<TestReference> withoutReq2 =
          allBacked.stream().filter(r -> !r.id().equals("C-REQ-2")).toList();

      assertThat(ledger(withoutReq2, Set.of("scale_held_locks")).problems())
          .containsExactly(
              "C-REQ-2 (README.md: \"A held lock answers a try with two requests\") has no test:"
                  + " mark the test that backs it with @Claim(\"C-REQ-2\")");
    }

    @Test
    void aTestThatNamesAnUnknownIdIsAProblem() {
      List<TestReference> references = new java.util.ArrayList<>(allBacked);
      references.add(new TestReference("C-GONE-7", "dimutex-core: OldTest#gone"));

      assertThat(ledger(references, Set.of("scale_held_locks")).problems())
          .containsExactly(
              "dimutex-core: OldTest#gone names claim C-GONE-7, which no document defines");
    }

    @Test
    void anIdDefinedTwiceIsAProblem() {
      List<DocumentClaim> claims = new java.util.ArrayList<>(Documents.scan("README.md", README));
      claims.addAll(Documents.scan("SEMANTICS.md", "Release is idempotent [C-REQ-1]."));

      assertThat(new Ledger(claims, allBacked, Set.of("scale_held_locks")).problems())
          .containsExactly(
              "C-REQ-1 is used twice for different claims: README.md (\"A stale takeover costs two"
                  + " requests\") and SEMANTICS.md (\"Release is idempotent\"); give one of them a"
                  + " new id");
    }

    @Test
    void aBenchmarkKeyTheBenchmarkDoesNotReportIsAProblem() {
      assertThat(ledger(allBacked, Set.of("requests_per_acquire")).problems())
          .containsExactly(
              "C-PERF-1 (README.md) points at benchmark key scale_held_locks, which"
                  + " dimutex-benchmarks does not report (its keys: [requests_per_acquire])");
    }
  }

  @Test
  void theTableListsEachClaimOnceWithItsTestsOrBenchmarkKey() {
    String table = ledger(allBackedReferences(), Set.of("scale_held_locks")).table();

    assertThat(table)
        .contains("4 claims: README.md 4.")
        .contains(
            "| C-REQ-1 | README.md | A stale takeover costs two requests |"
                + " `dimutex-core: GcsTest#staleTakeoverCostsTwoRequests` |")
        .contains(
            "| C-PERF-1 | README.md | held locks: 10 000 | benchmark key `scale_held_locks` |")
        .contains(
            "| C-REL-1 | README.md | release is conditional |"
                + " `dimutex-core: GcsTest#releaseIsConditional`<br>`dimutex-core: Inner` |");
  }

  @Test
  void theTableMarksAnUnbackedClaim() {
    assertThat(ledger(List.of(), Set.of()).table())
        .contains("| C-REQ-1 | README.md | A stale takeover costs two requests | **none** |");
  }

  private static List<TestReference> allBackedReferences() {
    return TestSources.scan("dimutex-core", "GcsTest", TEST_SOURCE);
  }
}
