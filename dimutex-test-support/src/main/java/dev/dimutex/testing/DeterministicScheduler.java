package dev.dimutex.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler that runs nothing by itself: {@link #advance(Duration)} moves the fake time forward
 * and runs due tasks, in time order, on the calling thread.
 */
public final class DeterministicScheduler extends AbstractExecutorService
    implements ScheduledExecutorService {

  private final FakeTime time;
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private long seq;
  private boolean shutdown;

  /**
   * Creates a scheduler on the given time; tasks run only in {@link #runDue()} and {@link
   * #advance(Duration)}.
   *
   * @param time the fake time that decides which tasks are due
   */
  public DeterministicScheduler(FakeTime time) {
    this.time = time;
  }

  final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    final long at;
    final long order;

    Task(Callable<V> c, long at) {
      super(c);
      this.at = at;
      this.order = seq++;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(at - time.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      Task<?> t = (Task<?>) o;
      int c = Long.compare(at, t.at);
      return c != 0 ? c : Long.compare(order, t.order);
    }
  }

  private synchronized <V> Task<V> add(Callable<V> c, long delayNanos) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }
    Task<V> t = new Task<>(c, time.nanoTime() + Math.max(0, delayNanos));
    queue.add(t);
    return t;
  }

  /**
   * Runs every task due now (including tasks they schedule for now), on the calling thread.
   *
   * @throws AssertionError if a task threw
   */
  public void runDue() {
    while (true) {
      Task<?> t;
      synchronized (this) {
        t = queue.peek();
        if (t == null || t.at > time.nanoTime()) {
          return;
        }
        queue.poll();
      }
      t.run();
      rethrowIfFailed(t);
    }
  }

  private static void rethrowIfFailed(Task<?> t) {
    if (t.isDone() && !t.isCancelled()) {
      try {
        t.get();
      } catch (ExecutionException e) {
        throw new AssertionError("scheduled task failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Advances time step by step to each due task, up to {@code d} in total, running the tasks in
   * time order on the calling thread.
   *
   * @param d how far to advance
   * @throws AssertionError if a task threw
   */
  public void advance(Duration d) {
    long end = time.nanoTime() + d.toNanos();
    while (true) {
      runDue();
      Task<?> next;
      synchronized (this) {
        next = queue.peek();
        while (next != null && next.isCancelled()) {
          queue.poll();
          next = queue.peek();
        }
      }
      if (next == null || next.at > end) {
        break;
      }
      time.advance(Duration.ofNanos(Math.max(0, next.at - time.nanoTime())));
    }
    time.advance(Duration.ofNanos(Math.max(0, end - time.nanoTime())));
    runDue();
  }

  /**
   * Counts the tasks still scheduled, cancelled ones left out.
   *
   * @return the number of pending tasks
   */
  public synchronized int pendingTasks() {
    queue.removeIf(FutureTask::isCancelled);
    return queue.size();
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(
        () -> {
          command.run();
          return null;
        },
        unit.toNanos(delay));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(callable, unit.toNanos(delay));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException("not used by dimutex");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("not used by dimutex");
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> out = new ArrayList<>(queue);
    queue.clear();
    return out;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }
}
