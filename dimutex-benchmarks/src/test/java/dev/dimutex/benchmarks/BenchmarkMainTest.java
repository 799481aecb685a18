package dev.dimutex.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the harness once in its tiny profile (a few seconds) and checks the shape of what it writes:
 * the JSON file holds exactly the issue's keys in order, each a finite number; the run exits 0 when
 * every scenario ran; the table has a row with a goal for every figure; bad arguments exit 2; and
 * the exit status reports missed goals only with {@code --require-goals}. It checks no figure
 * against its goal: the tiny profile's figures mean little, and timing belongs to the benchmark run
 * itself, not to a unit test.
 */
class BenchmarkMainTest {

  @TempDir static Path dir;

  static int exitCode;
  static String json = "";
  static String printed = "";

  @BeforeAll
  static void runTinySuite() throws Exception {
    Path out = dir.resolve("nested/results.json");
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (PrintStream print = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      exitCode = BenchmarkMain.run(new String[] {"--tiny", "--out", out.toString()}, print);
    }
    printed = buffer.toString(StandardCharsets.UTF_8);
    json = Files.readString(out);
  }

  /** Parses the flat {"key": number, ...} object the harness writes; fails on anything else. */
  static Map<String, Double> parseFlatJson(String text) {
    String body = text.strip();
    assertThat(body).startsWith("{").endsWith("}");
    body = body.substring(1, body.length() - 1).strip();
    Map<String, Double> values = new LinkedHashMap<>();
    Pattern member = Pattern.compile("\\s*\"([a-z0-9_]+)\"\\s*:\\s*(-?[0-9][0-9.eE+-]*)\\s*");
    for (String part : body.split(",")) {
      Matcher m = member.matcher(part);
      assertThat(m.matches()).as("JSON member '%s' is a key with a plain number", part).isTrue();
      values.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return values;
  }

  @Nested
  class TheJsonFile {

    @Test
    void hasExactlyTheIssuesKeysInOrder() {
      assertThat(parseFlatJson(json).keySet()).as(printed).containsExactlyElementsOf(Results.KEYS);
    }

    @Test
    void includesTheScaleAtLatencyFiguresOfIssue12() {
      assertThat(parseFlatJson(json))
          .as(printed)
          .containsKeys(
              "latency30_locks_on_schedule",
              "latency60_locks_on_schedule",
              "latency30_refresh_on_time_ratio",
              "latency30_client_cpu_per_refresh_ratio",
              "idle_platform_threads_10_locks");
    }

    @Test
    void holdsOnlyFiniteNumbers() {
      assertThat(parseFlatJson(json).values()).allSatisfy(v -> assertThat(v).isFinite());
    }
  }

  @Nested
  class ExitStatus {

    private final PrintStream discard =
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private Results oneMissedGoal() {
      Results results = new Results();
      results.put("requests_per_acquire", 2, "1", false, "synthetic");
      results.put("requests_per_release", 1, "1", true, "synthetic");
      return results;
    }

    @Test
    void aMissedGoalIsStatusThreeOnlyWithRequireGoals() {
      assertThat(oneMissedGoal().missedGoals()).containsExactly("requests_per_acquire");
      assertThat(BenchmarkMain.exitStatus(oneMissedGoal(), true, discard)).isEqualTo(3);
      assertThat(BenchmarkMain.exitStatus(oneMissedGoal(), false, discard)).isZero();
    }

    @Test
    void aFailedScenarioIsStatusOneEvenWithRequireGoals() {
      Results results = oneMissedGoal();
      results.fail("cycle_overhead_ratio", "synthetic failure");

      assertThat(BenchmarkMain.exitStatus(results, true, discard)).isEqualTo(1);
    }

    @Test
    void metGoalsAndGoalsThatDoNotApplyAreStatusZeroWithRequireGoals() {
      Results results = new Results();
      results.put("requests_per_release", 1, "1", true, "synthetic");
      results.put("scale_held_locks", 1000, "10000 (full run)", null, "synthetic");

      assertThat(BenchmarkMain.exitStatus(results, true, discard)).isZero();
    }
  }

  @Nested
  class TheRun {

    @Test
    void exitsWithSuccessWhenEveryScenarioRan() {
      assertThat(exitCode).as(printed).isZero();
    }

    @Test
    void printsATableRowWithAGoalForEveryFigure() {
      for (String key : Results.KEYS) {
        assertThat(printed).containsPattern("(?m)^" + key + "\\s+\\S+\\s+\\S");
      }
    }
  }

  @Nested
  class Arguments {

    @Test
    void unknownArgumentIsRefusedWithStatusTwo() {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      int code =
          BenchmarkMain.run(
              new String[] {"--fast"}, new PrintStream(buffer, true, StandardCharsets.UTF_8));
      assertThat(code).isEqualTo(2);
      assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("unknown argument '--fast'");
    }
  }
}
