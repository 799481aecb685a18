package dev.dimutex.engine;

import dev.dimutex.Lease;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/** One local caller waiting for the lock. */
final class Waiter {
  final CompletableFuture<Lease> future = new CompletableFuture<>();
  final long startNanos;
  final long deadlineNanos;
  private volatile @Nullable Future<?> timeoutTask;

  Waiter(long startNanos, long deadlineNanos) {
    this.startNanos = startNanos;
    this.deadlineNanos = deadlineNanos;
  }

  void timeoutTask(Future<?> task) {
    timeoutTask = task;
    if (future.isDone()) {
      task.cancel(false);
    }
  }

  void cancelTimeout() {
    Future<?> t = timeoutTask;
    if (t != null) {
      t.cancel(false);
    }
  }
}
