package dev.dimutex.simulation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A registry's scheduler: each task becomes an event of the world's one queue at the true time its
 * local delay corresponds to (the registry's clock rate converts it), and runs on the simulation
 * thread as a step of its own, never inside another call.
 */
final class NodeScheduler extends AbstractExecutorService implements ScheduledExecutorService {

  private static final int TASK_BUDGET = 4;

  private final World world;
  private final Node node;
  private final Set<Task<?>> pending = new LinkedHashSet<>();
  private boolean shutdown;

  NodeScheduler(World world, Node node) {
    this.world = world;
    this.node = node;
  }

  final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    private final long trueAt;

    Task(Callable<V> c, long trueAt) {
      super(c);
      this.trueAt = trueAt;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert((long) ((trueAt - world.now()) * node.clock.rate), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterrupt) {
      if (!world.broken(Breakage.LEAKY_SCHEDULER)) {
        pending.remove(this);
      }
      return super.cancel(mayInterrupt);
    }
  }

  private <V> Task<V> add(Callable<V> c, long localDelay) {
    if (shutdown) {
      throw new RejectedExecutionException("scheduler of " + node + " is shut down");
    }
    Task<V> t = new Task<>(c, world.now() + node.clock.trueDelay(localDelay));
    if (world.broken(Breakage.LOSSY_SCHEDULER) && localDelay > 0) {
      return t;
    }
    pending.add(t);
    world.at(t.trueAt, node, node + " task", () -> run(t));
    return t;
  }

  private void run(Task<?> t) {
    if (t.isDone() && world.broken(Breakage.LEAKY_SCHEDULER)) {
      return;
    }
    if (!pending.remove(t) || t.isDone()) {
      return;
    }
    Meter m = Meter.start(world, node, "scheduled task");
    try {
      t.run();
    } finally {
      m.stop(TASK_BUDGET);
    }
    if (!t.isCancelled()) {
      try {
        t.get();
      } catch (ExecutionException e) {
        world.violation(
            Invariant.EXCEPTION, node + ": a scheduled task of the registry threw " + e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  int pendingTasks() {
    return pending.size();
  }

  /** Forgets every task (the process crashed). */
  void crash() {
    pending.clear();
    shutdown = true;
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
    throw new UnsupportedOperationException("not used with a caller-supplied scheduler");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("not used with a caller-supplied scheduler");
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> out = new ArrayList<>(pending);
    pending.clear();
    return out;
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown && pending.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }
}
