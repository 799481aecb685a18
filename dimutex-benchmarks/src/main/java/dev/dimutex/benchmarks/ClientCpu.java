package dev.dimutex.benchmarks;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time of the client side of this JVM: the process's CPU time ({@code OperatingSystemMXBean})
 * minus that of the emulator's threads ({@code ThreadMXBean}), since the emulator runs in the same
 * process, and minus the harness thread that takes the readings. What remains is the library or the
 * raw client, the HTTP client they share, and the JVM's own work (GC, JIT) for both sides; the
 * JVM's share is not separable, so a ratio of two client figures is, if anything, pulled towards 1.
 *
 * <p>The emulator's threads live in a cached pool (60 s keep-alive), so one that ends during a
 * window of a few seconds had been idle, and losing its count costs nothing.
 */
final class ClientCpu {
  private ClientCpu() {}

  /** CPU readings at one moment, in nanoseconds. */
  record Snapshot(
      long wallNanos,
      long processNanos,
      long harnessNanos,
      long jitMillis,
      long gcMillis,
      Map<Long, Long> emulatorThreadNanos) {

    /** JIT compilation and GC time (wall-clock, as the JVM reports them) since {@code earlier}. */
    String jvmWorkSince(Snapshot earlier) {
      return String.format(
          Locale.ROOT,
          "JIT %d ms, GC %d ms",
          jitMillis - earlier.jitMillis,
          gcMillis - earlier.gcMillis);
    }

    /**
     * Client CPU nanoseconds between {@code earlier} and this snapshot, taken on the same thread:
     * the process's, minus the emulator's threads', minus the harness thread's own (which samples
     * stacks meanwhile, or waits).
     */
    long clientNanosSince(Snapshot earlier) {
      long emulator = 0;
      for (Map.Entry<Long, Long> e : emulatorThreadNanos.entrySet()) {
        emulator += e.getValue() - earlier.emulatorThreadNanos.getOrDefault(e.getKey(), 0L);
      }
      return processNanos - earlier.processNanos - emulator - (harnessNanos - earlier.harnessNanos);
    }

    /** Process CPU nanoseconds (client and emulator) between {@code earlier} and this snapshot. */
    long processNanosSince(Snapshot earlier) {
      return processNanos - earlier.processNanos;
    }

    double secondsSince(Snapshot earlier) {
      return (wallNanos - earlier.wallNanos) / 1e9;
    }
  }

  /** Whether process CPU time can be read here; without it the CPU figures fail loudly. */
  static boolean supported() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean
        && ManagementFactory.getThreadMXBean().isThreadCpuTimeSupported();
  }

  static Snapshot take() {
    if (!(ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os)) {
      throw new IllegalStateException("this JVM does not report process CPU time");
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (!threads.isThreadCpuTimeEnabled()) {
      threads.setThreadCpuTimeEnabled(true);
    }
    Map<Long, Long> emulator = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
      if (info != null && isEmulator(info.getThreadName())) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        if (cpu >= 0) {
          emulator.put(info.getThreadId(), cpu);
        }
      }
    }
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    long jitMillis =
        jit != null && jit.isCompilationTimeMonitoringSupported()
            ? jit.getTotalCompilationTime()
            : 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcMillis += Math.max(0, gc.getCollectionTime());
    }
    return new Snapshot(
        System.nanoTime(),
        os.getProcessCpuTime(),
        threads.getCurrentThreadCpuTime(),
        jitMillis,
        gcMillis,
        emulator);
  }

  /** The emulator's handler threads and the JDK HTTP server's dispatcher. */
  static boolean isEmulator(String threadName) {
    return threadName.toLowerCase(Locale.ROOT).contains("emulator")
        || threadName.startsWith("HTTP-Dispatcher");
  }

  /**
   * Samples the stacks of the platform threads whose name starts with {@code prefix}: how many
   * samples were taken and how many sat in a socket read (waiting for a response).
   */
  static final class SocketSampler {
    private final String prefix;
    private long samples;
    private long inSocketRead;

    SocketSampler(String prefix) {
      this.prefix = prefix;
    }

    void sample() {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 12)) {
        if (info == null || !info.getThreadName().startsWith(prefix)) {
          continue;
        }
        samples++;
        for (StackTraceElement frame : info.getStackTrace()) {
          String cls = frame.getClassName();
          if ((cls.contains("Socket") || cls.contains("NioSocketImpl"))
              && frame.getMethodName().startsWith("read")) {
            inSocketRead++;
            break;
          }
          if (frame.getMethodName().equals("socketRead0")) {
            inSocketRead++;
            break;
          }
        }
      }
    }

    String describe() {
      if (samples == 0) {
        return "no platform threads named '"
            + prefix
            + "*' to sample (store calls on virtual threads, or none in flight)";
      }
      return String.format(
          Locale.ROOT,
          "%d of %d samples (%s %%) of the registry's platform threads sat in a socket read",
          inSocketRead,
          samples,
          Results.format(100.0 * inSocketRead / samples));
    }
  }
}
