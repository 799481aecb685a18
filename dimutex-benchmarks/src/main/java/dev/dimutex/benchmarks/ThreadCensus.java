package dev.dimutex.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which threads a registry added: live threads now minus those alive before, with the emulator's,
 * the HTTP client's, the harness's and the JVM's own threads (recognized by name) set apart.
 */
final class ThreadCensus {
  private ThreadCensus() {}

  record ThreadCount(List<String> library, List<String> excluded) {}

  static Map<Long, Thread> liveThreads() {
    Map<Long, Thread> out = new TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive()) {
        out.put(t.getId(), t);
      }
    }
    return out;
  }

  static ThreadCount classify(Map<Long, Thread> before, Map<Long, Thread> during) {
    List<String> library = new ArrayList<>();
    List<String> excluded = new ArrayList<>();
    for (Map.Entry<Long, Thread> e : during.entrySet()) {
      if (before.containsKey(e.getKey())) {
        continue;
      }
      String name = e.getValue().getName();
      if (isForeign(name)) {
        excluded.add(name);
      } else {
        library.add(name);
      }
    }
    return new ThreadCount(library, excluded);
  }

  private static boolean isForeign(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    return name.startsWith(Bench.THREAD_PREFIX)
        || lower.contains("emulator")
        || name.startsWith("HTTP-Dispatcher")
        || name.startsWith("Keep-Alive-")
        || name.equals("Attach Listener")
        || name.equals("Common-Cleaner")
        || name.equals("process reaper")
        || name.equals("Notification Thread")
        || name.equals("Signal Dispatcher")
        || isVirtualThreadScheduler(name);
  }

  /**
   * The JDK's own threads behind virtual threads (JDK 21+): the carrier pool and its helpers. One
   * set per JVM, shared by every virtual thread, at most as many carriers as cores; counted with
   * the JVM's threads, and named in the notes.
   */
  static boolean isVirtualThreadScheduler(String name) {
    return name.matches("ForkJoinPool-\\d+-(worker-\\d+|delayScheduler)")
        || name.startsWith("VirtualThread-")
        || name.equals("MasterPoller")
        || name.startsWith("Read-Poller")
        || name.startsWith("Write-Poller");
  }

  static String summarize(List<String> names) {
    if (names.isEmpty()) {
      return "none";
    }
    Map<String, List<String>> byPattern = new TreeMap<>();
    for (String name : names) {
      String pattern = name.replaceAll("[0-9a-f]{6,}", "<id>").replaceAll("\\d+", "N");
      byPattern.computeIfAbsent(pattern, k -> new ArrayList<>()).add(name);
    }
    List<String> parts = new ArrayList<>();
    byPattern.forEach((k, v) -> parts.add(v.size() + " x '" + k + "', e.g. '" + v.get(0) + "'"));
    return names.size() + " (" + String.join(", ", parts) + ")";
  }
}
