package dev.dimutex.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Measures dimutex on an in-JVM GCS emulator, side by side with the raw {@code
 * google-cloud-storage} client, prints a table (figure, value, goal, whether the goal is met) and
 * writes the figures as one flat JSON object.
 *
 * <pre>
 * java -jar dimutex-benchmarks/target/dimutex-benchmarks.jar [--quick | --tiny] [--out FILE]
 * </pre>
 *
 * <ul>
 *   <li>no flag: the full suite (several minutes on 2 cores; the scale run holds 10 000 locks on
 *       loopback, the latency runs 8 000 locks at +30 ms writes / +15 ms reads and 4 000 at +60 /
 *       +30 ms, with the default ttl and refresh interval);
 *   <li>{@code --quick}: the same figures from fewer samples, a 1000-lock scale run and 2 000 locks
 *       at +30 ms (1 000 at +60 ms) refreshed every 5 s, in about two minutes;
 *   <li>{@code --tiny}: a smoke run of a few seconds whose figures mean little;
 *   <li>{@code --out FILE}: where to write the JSON, default {@value #DEFAULT_OUT} (relative to the
 *       working directory).
 * </ul>
 *
 * <p>The exit status is 0 when every figure was measured, whether or not its goal was met, 1 when a
 * scenario failed (its keys are then missing from the JSON and the table says why), and 2 on bad
 * arguments. With {@code --require-goals} it is 3 when every figure was measured but a goal was
 * missed (a scenario failure still gives 1), so that a script can gate on the goals.
 */
public final class BenchmarkMain {

  /** The JSON output path used when {@code --out} is not given. */
  public static final String DEFAULT_OUT = "dimutex-benchmarks/target/benchmark-results.json";

  private BenchmarkMain() {}

  /**
   * Runs the suite and exits the JVM with the status described in the class documentation.
   *
   * @param args {@code --quick}, {@code --tiny}, {@code --out FILE}, {@code --help}
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  static int run(String[] args, PrintStream out) {
    Profile profile = Profile.FULL;
    Path file = Path.of(DEFAULT_OUT);
    String only = "";
    boolean requireGoals = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--require-goals" -> requireGoals = true;
        case "--quick" -> profile = Profile.QUICK;
        case "--tiny" -> profile = Profile.TINY;
        case "--full" -> profile = Profile.FULL;
        case "--out" -> {
          if (i + 1 >= args.length) {
            out.println("--out needs a file name");
            return 2;
          }
          file = Path.of(args[++i]);
        }
        case "--only" -> {
          if (i + 1 >= args.length) {
            out.println("--only needs part of a scenario title");
            return 2;
          }
          only = args[++i];
        }
        case "--help", "-h" -> {
          out.println(
              "usage: java -jar dimutex-benchmarks.jar [--quick | --tiny] [--out FILE]\n"
                  + "  (no flag)   full suite, several minutes; 10000 locks on loopback, 8000 at\n"
                  + "              +30 ms and 4000 at +60 ms latency\n"
                  + "  --quick     fewer samples, 1000 locks on loopback, 2000 at +30 ms\n"
                  + "  --tiny      smoke run of a few seconds; figures mean little\n"
                  + "  --out FILE  JSON output, default "
                  + DEFAULT_OUT
                  + "\n  --only TEXT run only the scenarios whose title contains TEXT (debugging;"
                  + " the JSON then lacks the other keys)\n"
                  + "  --require-goals  exit status 3 when a goal was missed (default: 0)");
          return 0;
        }
        default -> {
          out.println("unknown argument '" + args[i] + "'; try --help");
          return 2;
        }
      }
    }
    Results results = runSuite(profile, only, out);
    try {
      results.writeJson(file);
      out.println();
      out.println("JSON written to " + file.toAbsolutePath().normalize());
    } catch (IOException e) {
      out.println("could not write " + file + ": " + e);
      return 1;
    }
    return exitStatus(results, requireGoals, out);
  }

  /**
   * The exit status of a run: 1 when a scenario failed; else 3 when goals are required and one was
   * missed (the missed keys are printed); else 0.
   */
  static int exitStatus(Results results, boolean requireGoals, PrintStream out) {
    if (results.hasFailures()) {
      return 1;
    }
    List<String> missed = results.missedGoals();
    if (requireGoals && !missed.isEmpty()) {
      out.println("goals missed (--require-goals): " + String.join(", ", missed));
      return 3;
    }
    return 0;
  }

  private record Scenario(String title, List<String> keys, Step step) {}

  @FunctionalInterface
  private interface Step {
    void run(Bench bench, Results results);
  }

  private static final List<Scenario> SCENARIOS =
      List.of(
          new Scenario(
              "requests per operation",
              List.of("requests_per_acquire", "requests_per_release", "requests_per_refresh"),
              RequestCounts::run),
          new Scenario("cycle overhead", List.of("cycle_overhead_ratio"), CycleOverhead::run),
          new Scenario("local handover", List.of("local_handover_p50_ms"), Handover::runLocal),
          new Scenario(
              "stale takeover", List.of("requests_per_stale_takeover"), StaleTakeover::run),
          new Scenario(
              "waiting (1 vs 64 threads, waiter rate)",
              List.of("local_contention_request_rate_ratio_64_vs_1", "waiter_requests_per_second"),
              Waiting::run),
          new Scenario(
              "cross-registry handover",
              List.of("cross_registry_handover_p50_ms", "cross_registry_handover_p99_ms"),
              Handover::runCross),
          new Scenario(
              "distinct locks throughput",
              List.of("distinct_locks_ops_per_second_ratio"),
              DistinctLocks::run),
          new Scenario(
              "scale",
              List.of(
                  "scale_held_locks",
                  "scale_library_threads",
                  "scale_heap_bytes_per_lock",
                  "scale_refresh_on_time_ratio"),
              Scale::run),
          new Scenario(
              "latency +30 ms writes / +15 ms reads",
              List.of(
                  "latency30_locks_on_schedule",
                  "latency30_refresh_on_time_ratio",
                  "latency30_client_cpu_per_refresh_ratio"),
              LatencyScale::run30),
          new Scenario(
              "latency +60 ms writes / +30 ms reads",
              List.of("latency60_locks_on_schedule"),
              LatencyScale::run60),
          new Scenario(
              "idle threads with 10 locks",
              List.of("idle_platform_threads_10_locks"),
              IdleThreads::run));

  static Results runSuite(Profile profile, String only, PrintStream out) {
    Results results = new Results();
    out.println("dimutex benchmarks, " + profile.name() + " run, started " + Instant.now());
    out.println(machine());
    try (Bench bench = new Bench(profile, out)) {
      out.println("emulator: in-JVM at " + bench.emulator.baseUrl() + ", bucket " + Bench.BUCKET);
      out.println(
          "JDK HTTP keep-alive: "
              + Bench.MAX_CONNECTIONS_PROPERTY
              + "="
              + System.getProperty(Bench.MAX_CONNECTIONS_PROPERTY)
              + " (both the library and the raw client)");
      for (Scenario s : SCENARIOS) {
        if (!s.title().contains(only)) {
          continue;
        }
        bench.progress(s.title() + " ...");
        long t0 = System.nanoTime();
        try {
          s.step().run(bench, results);
        } catch (RuntimeException | Error e) {
          String reason = "scenario '" + s.title() + "' failed: " + e;
          e.printStackTrace(out);
          for (String key : s.keys()) {
            results.fail(key, reason);
          }
        }
        bench.progress(
            s.title() + " done in " + Results.format((System.nanoTime() - t0) / 1e9) + " s");
      }
    }
    out.println();
    out.println(
        "system load average at the end: "
            + Results.format(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
            + " (1 min)");
    out.println();
    results.printTable(out);
    return results;
  }

  private static String machine() {
    Runtime rt = Runtime.getRuntime();
    String memory = "";
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      memory = String.format(", %.1f GiB RAM", os.getTotalMemorySize() / 1073741824.0);
    }
    return String.format(
        "machine: %d cores%s, JDK %s (%s), max heap %d MiB, %s %s; load average %s (1 min)",
        rt.availableProcessors(),
        memory,
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        rt.maxMemory() / 1048576,
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        Results.format(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
  }
}
