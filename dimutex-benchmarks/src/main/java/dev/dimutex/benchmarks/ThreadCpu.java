package dev.dimutex.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * CPU time of threads over a window, read per thread from {@code ThreadMXBean} (never the harness
 * thread that takes the readings) and summed afterwards over the threads a name filter selects, so
 * that one set of readings serves several sides. Unlike the process figure of {@link ClientCpu}, it
 * leaves out the JVM's GC and JIT threads, whose work this process shares with the emulator (its
 * allocations and its compiled code), so it measures the code that sends the requests: the library
 * or the raw client, and the HTTP client under both.
 *
 * <p>A thread that ends before the next reading loses what it spent since the last one; {@link
 * #sample()} is called every half second or so while the window runs, and the registry's pool
 * threads end only after 2 s idle, so the loss is nil for them.
 */
final class ThreadCpu {

  /** Every thread but the emulator's: the client side of this process. */
  static final Predicate<String> CLIENT = name -> !ClientCpu.isEmulator(name);

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final long harness = Thread.currentThread().getId();
  private final Map<Long, Long> baseline = new HashMap<>();
  private final Map<Long, Long> last = new HashMap<>();
  private final Map<Long, String> names = new HashMap<>();

  /** Starts the window: the CPU time every thread has spent so far is its baseline. */
  ThreadCpu() {
    if (!threads.isThreadCpuTimeEnabled()) {
      threads.setThreadCpuTimeEnabled(true);
    }
    read(true);
  }

  /** Takes a reading (threads born since the start count from zero). */
  void sample() {
    read(false);
  }

  /**
   * CPU nanoseconds since the start, as of the last reading, of the threads whose name {@code
   * include} accepts.
   */
  long nanos(Predicate<String> include) {
    long total = 0;
    for (Map.Entry<Long, Long> e : last.entrySet()) {
      if (include.test(names.get(e.getKey()))) {
        total += e.getValue() - baseline.getOrDefault(e.getKey(), 0L);
      }
    }
    return total;
  }

  private void read(boolean start) {
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
      if (info == null || info.getThreadId() == harness) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(info.getThreadId());
      if (cpu < 0) {
        continue;
      }
      if (start) {
        baseline.put(info.getThreadId(), cpu);
      }
      last.put(info.getThreadId(), cpu);
      names.put(info.getThreadId(), info.getThreadName());
    }
  }
}
