package dev.dimutex.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * CPU time of the client's own threads over a window: every live thread except the emulator's and
 * the harness thread that takes the readings, summed from {@code ThreadMXBean} per thread. Unlike
 * the process figure of {@link ClientCpu}, it leaves out the JVM's GC and JIT threads, whose work
 * this process shares with the emulator (its allocations and its compiled code), so it measures the
 * code that sends the requests: the library or the raw client, and the HTTP client under both.
 *
 * <p>A thread that ends before the next reading loses what it spent since the last one; {@link
 * #sample()} is called every half second or so while the window runs, and the registry's pool
 * threads end only after 2 s idle, so the loss is nil for them.
 */
final class ThreadCpu {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final long harness = Thread.currentThread().getId();
  private final Map<Long, Long> baseline = new HashMap<>();
  private final Map<Long, Long> last = new HashMap<>();
  private final Predicate<String> include;

  /** Starts the window: the CPU time every client thread has spent so far is its baseline. */
  ThreadCpu() {
    this(name -> !ClientCpu.isEmulator(name));
  }

  /** The same, over the threads whose name {@code include} accepts (never the harness thread). */
  ThreadCpu(Predicate<String> include) {
    this.include = include;
    if (!threads.isThreadCpuTimeEnabled()) {
      threads.setThreadCpuTimeEnabled(true);
    }
    read(true);
  }

  /** Takes a reading (threads born since the start count from zero). */
  void sample() {
    read(false);
  }

  /** Client thread CPU nanoseconds since the start, after a last reading. */
  long nanos() {
    read(false);
    long total = 0;
    for (Map.Entry<Long, Long> e : last.entrySet()) {
      total += e.getValue() - baseline.getOrDefault(e.getKey(), 0L);
    }
    return total;
  }

  private void read(boolean start) {
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
      if (info == null || info.getThreadId() == harness || !include.test(info.getThreadName())) {
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
    }
  }
}
