package dev.dimutex.chaos;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Formats the figures of a chaos run. */
final class ChaosReport {

  private ChaosReport() {}

  static String format(
      ChaosConfig config,
      ChaosHistory history,
      CheckResult result,
      CheckLimits limits,
      Map<FaultKind, Integer> faultCounts,
      Map<String, Integer> eventCounts,
      JsonObject counters,
      long nanoOffset) {
    StringBuilder b = new StringBuilder();
    long rejected = count(history, WriteOutcome.REJECTED);
    long incomplete = history.sections().stream().filter(s -> !s.completed()).count();
    b.append("dimutex chaos report\n");
    b.append(
        line(
            "run",
            "%d s, %d worker slots (%d processes), TTL %d ms, refresh %d ms, backoff %d..%d ms,"
                + " seed %d",
            config.duration().toSeconds(),
            config.workers(),
            history.workerRequests().size(),
            config.ttl().toMillis(),
            config.refresh().toMillis(),
            config.backoffMin().toMillis(),
            config.backoffMax().toMillis(),
            config.seed()));
    b.append(
        line(
            "operations",
            "%d critical sections, %d increments applied, final counter %d; %d writes rejected by"
                + " the generation precondition, %d sections cut short by SIGKILL, %d legal"
                + " overlaps (expired, fenced-off holder)",
            result.sections(),
            result.acceptedIncrements(),
            history.finalCount(),
            rejected,
            incomplete,
            result.legalOverlaps()));
    b.append(
        line(
            "worker events",
            "%d leases reported lost (LockListener.onLost), %d acquire timeouts, %d other errors",
            eventCounts.getOrDefault(HistoryEvent.LOST, 0),
            eventCounts.getOrDefault(HistoryEvent.TIMEOUT, 0),
            eventCounts.getOrDefault(HistoryEvent.ERROR, 0)));
    List<String> kinds = new ArrayList<>();
    for (FaultKind k : FaultKind.values()) {
      kinds.add(k + " " + faultCounts.getOrDefault(k, 0));
    }
    b.append(line("faults injected", "%s", String.join(", ", kinds)));
    b.append(
        line(
            "emulator",
            "%s requests, %s answered by an injected fault, %s responses dropped; by status %s",
            counters.get("total"),
            counters.get("faultsInjected"),
            counters.get("responsesDropped"),
            counters.get("byStatus")));
    List<Long> rec = new ArrayList<>(result.recoveryNanos());
    rec.sort(null);
    b.append(
        line(
            "recovery",
            "%d crashed/frozen holders, p50 %s, max %s (bound %d ms = TTL + backoff cap + 2 s)",
            rec.size(),
            rec.isEmpty() ? "-" : ms(rec.get((rec.size() - 1) / 2)),
            rec.isEmpty() ? "-" : ms(rec.get(rec.size() - 1)),
            limits.recoveryBoundNanos() / 1_000_000));
    double maxAvg = 0;
    long maxPeak = 0;
    for (WorkerRequests w : history.workerRequests()) {
      maxAvg = Math.max(maxAvg, w.perSecond());
      maxPeak = Math.max(maxPeak, w.peakPerWindow());
    }
    b.append(
        line(
            "requests",
            "%d by workers and harness, %.1f per critical section; busiest worker %.1f/s on"
                + " average (budget %.0f), peak %d in %d ms (budget %d)",
            history.totalRequests(),
            result.sections() == 0 ? 0.0 : (double) history.totalRequests() / result.sections(),
            maxAvg,
            limits.maxRequestsPerSecond(),
            maxPeak,
            limits.rateWindowNanos() / 1_000_000,
            limits.maxRequestsPerWindow()));
    b.append(
        line(
            "time base",
            "host CLOCK_MONOTONIC (System.nanoTime) in harness, workers and emulator; measured"
                + " emulator offset %d ns",
            nanoOffset));
    b.append(line("violations", "%d", result.violations().size()));
    for (Violation v : result.violations()) {
      b.append("  - ").append(v).append('\n');
    }
    b.append(result.passed() ? "RESULT: PASS\n" : "RESULT: FAIL\n");
    return b.toString();
  }

  private static long count(ChaosHistory history, WriteOutcome outcome) {
    return history.sections().stream().filter(s -> s.outcome() == outcome).count();
  }

  private static String line(String label, String format, Object... args) {
    return String.format(Locale.ROOT, "%-16s " + format + "%n", concat(label + ":", args));
  }

  private static Object[] concat(Object first, Object[] rest) {
    Object[] out = new Object[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }
}
