package dev.dimutex.benchmarks;

import dev.dimutex.emulator.LoggedRequest;
import dev.dimutex.emulator.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Refresh timing read from the emulator's request log: for each lock object, the completion times
 * of its successful writes (create, then each refresh), and the gaps between consecutive ones
 * inside a window. A gap over the deadline is a late refresh; a window that ends more than the
 * deadline after an object's last write counts one more.
 */
final class RefreshGaps {
  private RefreshGaps() {}

  /** The refresh analysis; gaps between consecutive writes of one object, in nanoseconds. */
  record OnTime(
      long onTime,
      long late,
      long rejected,
      double gapP50,
      double gapP99,
      double gapMax,
      boolean truncated) {
    double ratio() {
      return onTime + late == 0 ? Double.NaN : onTime / (double) (onTime + late);
    }
  }

  private static boolean isWrite(LoggedRequest e) {
    Operation op = e.request().operation();
    return op == Operation.OBJECT_INSERT
        || op == Operation.OBJECT_PATCH
        || op == Operation.OBJECT_UPDATE;
  }

  static long lastAcquisitionCompletion(List<LoggedRequest> entries, String prefix) {
    long last = System.nanoTime();
    boolean found = false;
    for (LoggedRequest e : entries) {
      String object = e.request().object();
      if (object != null
          && object.startsWith(prefix + "lock-")
          && e.request().operation() == Operation.OBJECT_INSERT
          && e.status() / 100 == 2) {
        long done = e.startNanos() + e.durationNanos();
        last = found ? Math.max(last, done) : done;
        found = true;
      }
    }
    return last;
  }

  static OnTime of(
      List<LoggedRequest> entries, String objectPrefix, long start, long end, long deadline) {
    Map<String, List<Long>> writes = new HashMap<>();
    long rejected = 0;
    for (LoggedRequest e : entries) {
      String object = e.request().object();
      if (object == null || !object.startsWith(objectPrefix) || !isWrite(e)) {
        continue;
      }
      if (e.status() / 100 != 2) {
        if (e.request().operation() != Operation.OBJECT_INSERT) {
          rejected++;
        }
        continue;
      }
      writes
          .computeIfAbsent(object, k -> new ArrayList<>())
          .add(e.startNanos() + e.durationNanos());
    }
    long onTime = 0;
    long late = 0;
    List<Long> gaps = new ArrayList<>();
    for (List<Long> times : writes.values()) {
      times.sort(null);
      Long previous = null;
      for (long t : times) {
        if (t > end) {
          break;
        }
        if (t <= start) {
          previous = t;
          continue;
        }
        if (previous != null) {
          long gap = t - previous;
          gaps.add(gap);
          if (gap <= deadline) {
            onTime++;
          } else {
            late++;
          }
        }
        previous = t;
      }
      if (previous == null || end - previous > deadline) {
        late++; // the window ended with a refresh overdue
      }
    }
    boolean truncated =
        !entries.isEmpty() && entries.get(0).sequence() > 1 && entries.size() >= 100_000;
    return new OnTime(
        onTime,
        late,
        rejected,
        Stats.median(gaps),
        Stats.percentile(gaps, 99),
        Stats.max(gaps),
        truncated);
  }

  /**
   * Requests on the emulator's side in flight on average over the window, for objects under the
   * prefix: the summed time the emulator spent on them inside the window over the window's length.
   */
  static double requestsInFlight(List<LoggedRequest> entries, String prefix, long start, long end) {
    double busy = 0;
    for (LoggedRequest e : entries) {
      String object = e.request().object();
      if (object == null || !object.startsWith(prefix)) {
        continue;
      }
      long from = e.startNanos();
      long to = from + e.durationNanos();
      busy += Math.max(0, Math.min(to, end) - Math.max(from, start));
    }
    return end > start ? busy / (end - start) : 0;
  }
}
