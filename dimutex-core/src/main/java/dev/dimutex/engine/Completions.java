package dev.dimutex.engine;

import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A per-thread trampoline for completing waiters' futures. Completing a future runs the caller's
 * dependent actions at once, and such an action may release the lease it got, which hands the lock
 * to the next waiter, which completes the next future: done directly, that recursed one level per
 * queued waiter until the stack overflowed. Here a completion requested while one is already
 * running on this thread is queued and run by the outermost call after the current one returns, so
 * the depth stays constant however many waiters are served in a row.
 *
 * <p>Callers hand over a completion only after every state change of the release or delivery that
 * requested it is done, and never while holding a lock.
 */
final class Completions {

  private static final Logger log = LoggerFactory.getLogger(Completions.class);

  private static final ThreadLocal<ArrayDeque<Runnable>> PENDING = new ThreadLocal<>();

  private Completions() {}

  static void run(Runnable completion) {
    ArrayDeque<Runnable> queue = PENDING.get();
    if (queue != null) {
      queue.add(completion);
      return;
    }
    queue = new ArrayDeque<>();
    PENDING.set(queue);
    try {
      Runnable next = completion;
      while (next != null) {
        try {
          next.run();
        } catch (VirtualMachineError fatal) {
          // Keep serving the queued completions before giving up: each is a waiter whose lease
          // would otherwise be held by nobody until its TTL runs out.
          log.error("Completing a lock waiter failed fatally; serving the others first", fatal);
          drainQuietly(queue);
          throw fatal;
        } catch (RuntimeException | Error e) {
          log.warn("Completing a lock waiter failed: {}", e.toString());
        }
        next = queue.poll();
      }
    } finally {
      PENDING.remove();
    }
  }

  private static void drainQuietly(ArrayDeque<Runnable> queue) {
    Runnable next;
    while ((next = queue.poll()) != null) {
      try {
        next.run();
      } catch (Throwable t) {
        log.warn("Completing a lock waiter failed: {}", t.toString());
      }
    }
  }
}
