package dev.dimutex.engine;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The registry's own threads, made when the builder was given no scheduler: timing on {@value
 * RegistrySettings#TIMER_THREADS} platform thread, which never blocks, and the blocking store calls
 * on an elastic I/O executor — virtual threads where the runtime has them (found at run time; the
 * build stays on Java 17), otherwise a pool of daemon threads that grows with the calls in flight
 * up to the registry's cap and shrinks when idle (work goes to the most recently idle thread, see
 * {@link LifoHandOff}).
 */
final class DefaultScheduler {

  /** Marks the registry's own threads, where blocking on a lock would starve the registry. */
  private static final ThreadLocal<Boolean> ON_OWN_THREAD = new ThreadLocal<>();

  /** Idle pool threads end after this. */
  private static final long KEEP_ALIVE_SECONDS = 2;

  private DefaultScheduler() {}

  static boolean isCurrentThread() {
    return ON_OWN_THREAD.get() != null;
  }

  /** Runs the task marked as running on one of the registry's own threads. */
  static Runnable marked(Runnable task) {
    return () -> {
      Boolean before = ON_OWN_THREAD.get();
      ON_OWN_THREAD.set(Boolean.TRUE);
      try {
        task.run();
      } finally {
        if (before == null) {
          ON_OWN_THREAD.remove();
        }
      }
    };
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(marked(r), prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static String tag(String ownerId) {
    return ownerId.length() > 8 ? ownerId.substring(0, 8) : ownerId;
  }

  /** The timer: schedules, times out and dispatches; runs no store call itself. */
  static ScheduledExecutorService timer(String ownerId, Duration refreshInterval) {
    ScheduledThreadPoolExecutor s =
        new ScheduledThreadPoolExecutor(
            RegistrySettings.TIMER_THREADS, daemons("dimutex-" + tag(ownerId) + "-timer-"));
    s.setRemoveOnCancelPolicy(true);
    s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    startPacemaker(s, refreshInterval);
    return s;
  }

  /** The elastic executor for store calls. */
  static ExecutorService io(String ownerId, int maxConcurrentCalls) {
    String prefix = "dimutex-" + tag(ownerId) + "-io-";
    ExecutorService virtual = virtualThreads(prefix);
    if (virtual != null) {
      return virtual;
    }
    return pool(prefix, maxConcurrentCalls, Duration.ofSeconds(KEEP_ALIVE_SECONDS));
  }

  /** The platform-thread pool used where there are no virtual threads. */
  static ThreadPoolExecutor pool(String prefix, int maxConcurrentCalls, Duration keepAlive) {
    LifoHandOff queue = new LifoHandOff();
    return new ThreadPoolExecutor(
        0,
        maxConcurrentCalls,
        keepAlive.toNanos(),
        TimeUnit.NANOSECONDS,
        queue,
        daemons(prefix),
        (task, pool) -> {
          if (pool.isShutdown()) {
            throw new RejectedExecutionException("registry closed");
          }
          queue.enqueue(task); // every thread busy at the cap: the first to finish takes it
        });
  }

  /** {@code Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(prefix, 1).factory())}. */
  private static @Nullable ExecutorService virtualThreads(String prefix) {
    try {
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
      builder = ofVirtual.getMethod("name", String.class, long.class).invoke(builder, prefix, 1L);
      ThreadFactory factory =
          (ThreadFactory)
              Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
      Method perTask = Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class);
      ThreadFactory marking = r -> factory.newThread(marked(r));
      return (ExecutorService) perTask.invoke(null, marking);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null; // before Java 21 (or virtual threads unavailable): use the pool
    }
  }

  /**
   * Keeps a no-op periodic task at the head of the timer's queue, so that scheduling a lease's
   * refresh does not wake the timer thread.
   *
   * <p>A {@link ScheduledThreadPoolExecutor} signals a waiting worker whenever a new task becomes
   * the earliest one in its queue; the woken worker only re-arms its timed wait. Every acquisition
   * schedules a refresh and its release cancels it, so with few leases held the new task was often
   * the earliest: a JFR profile of 8 threads acquiring and releasing distinct locks showed about
   * 0.75 worker wake-ups per acquisition. This task runs at half the refresh interval, so new
   * refreshes rarely become the head; the cost is one idle wake-up per half interval. It changes no
   * timing, and ends with the timer's {@code shutdownNow()}.
   */
  private static void startPacemaker(ScheduledExecutorService s, Duration refreshInterval) {
    long period = Math.max(TimeUnit.MILLISECONDS.toNanos(1), refreshInterval.toNanos() / 2);
    s.scheduleAtFixedRate(() -> {}, period, period, TimeUnit.NANOSECONDS);
  }
}
