package dev.dimutex.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The measured figures of one run: what goes into the table and into the JSON file. */
final class Results {

  /** Every JSON key, in the order of the table. */
  static final List<String> KEYS =
      List.of(
          "requests_per_acquire",
          "requests_per_release",
          "requests_per_refresh",
          "requests_per_stale_takeover",
          "cycle_overhead_ratio",
          "local_contention_request_rate_ratio_64_vs_1",
          "local_handover_p50_ms",
          "cross_registry_handover_p50_ms",
          "cross_registry_handover_p99_ms",
          "waiter_requests_per_second",
          "scale_held_locks",
          "scale_library_threads",
          "scale_heap_bytes_per_lock",
          "scale_refresh_on_time_ratio",
          "distinct_locks_ops_per_second_ratio",
          "latency30_locks_on_schedule",
          "latency60_locks_on_schedule",
          "latency30_refresh_on_time_ratio",
          "latency30_client_cpu_per_refresh_ratio",
          "idle_platform_threads_10_locks");

  /**
   * One figure.
   *
   * @param met whether the goal is met; null when the goal does not apply to this run (for example
   *     the 10 000-lock goal in a quick run)
   */
  record Figure(String key, double value, String goal, @Nullable Boolean met, String note) {}

  private final Map<String, Figure> figures = new LinkedHashMap<>();
  private final Map<String, String> failures = new LinkedHashMap<>();
  private final List<String> remarks = new ArrayList<>();

  synchronized void put(String key, double value, String goal, @Nullable Boolean met, String note) {
    if (!KEYS.contains(key)) {
      throw new IllegalArgumentException("unknown figure key " + key);
    }
    if (!Double.isFinite(value)) {
      fail(key, "measured value is not a finite number (" + value + "); " + note);
      return;
    }
    figures.put(key, new Figure(key, value, goal, met, note));
  }

  synchronized void fail(String key, String reason) {
    figures.remove(key);
    failures.put(key, reason);
  }

  synchronized void remark(String remark) {
    remarks.add(remark);
  }

  /** The keys of the measured figures whose goal applies and was not met, in key order. */
  synchronized List<String> missedGoals() {
    return KEYS.stream()
        .filter(k -> figures.containsKey(k) && Boolean.FALSE.equals(figures.get(k).met()))
        .toList();
  }

  synchronized @Nullable Figure get(String key) {
    return figures.get(key);
  }

  synchronized boolean hasFailures() {
    return !failures.isEmpty();
  }

  synchronized Map<String, Double> values() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String key : KEYS) {
      Figure f = figures.get(key);
      if (f != null) {
        out.put(key, f.value());
      }
    }
    return out;
  }

  /** One flat JSON object, keys in issue order, numbers only; failed figures are left out. */
  synchronized String toJson() {
    StringBuilder sb = new StringBuilder("{\n");
    List<String> lines = new ArrayList<>();
    values().forEach((k, v) -> lines.add("  \"" + k + "\": " + format(v)));
    sb.append(String.join(",\n", lines));
    sb.append("\n}\n");
    return sb.toString();
  }

  void writeJson(Path out) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(out, toJson(), StandardCharsets.UTF_8);
  }

  synchronized void printTable(PrintStream out) {
    String header = String.format("%-45s %12s  %-30s %-5s", "figure", "value", "goal", "met?");
    out.println(header);
    out.println("-".repeat(header.length()));
    for (String key : KEYS) {
      Figure f = figures.get(key);
      if (f == null) {
        String reason = failures.getOrDefault(key, "not measured");
        out.printf("%-45s %12s  %-30s %-5s%n", key, "FAILED", "", "no");
        out.println("    " + reason);
        continue;
      }
      String met = f.met() == null ? "n/a" : (f.met() ? "yes" : "NO");
      out.printf("%-45s %12s  %-30s %-5s%n", key, format(f.value()), f.goal(), met);
    }
    out.println();
    out.println("Notes:");
    for (String key : KEYS) {
      Figure f = figures.get(key);
      if (f != null && !f.note().isEmpty()) {
        out.println("  " + key + ": " + f.note());
      }
    }
    for (String remark : remarks) {
      out.println("  " + remark);
    }
  }

  static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }
}
