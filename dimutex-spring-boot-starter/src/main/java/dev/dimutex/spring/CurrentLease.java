package dev.dimutex.spring;

import dev.dimutex.Lease;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The lease of the {@link DistributedLock} method running on the current thread, so that a long job
 * can pass on its fencing token or call {@link Lease#checkHealthy()} between steps.
 *
 * <p>With nested locked methods, the innermost lease is returned. The lease is bound to the thread
 * that called the method: code running on another thread (for example inside a {@code
 * CompletableFuture} the method returned) must capture it first.
 */
public final class CurrentLease {

  private static final ThreadLocal<Deque<Lease>> LEASES = new ThreadLocal<>();

  private CurrentLease() {}

  /**
   * Returns the lease of the innermost locked method running on this thread.
   *
   * @return the lease
   * @throws IllegalStateException if no {@link DistributedLock} method is running on this thread
   */
  public static Lease get() {
    return find()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "No @DistributedLock method is running on thread '"
                        + Thread.currentThread().getName()
                        + "'; CurrentLease is available only inside such a method, on the thread"
                        + " that called it"));
  }

  /**
   * Returns the lease of the innermost locked method running on this thread, if any.
   *
   * @return the lease, or empty outside a {@link DistributedLock} method
   */
  public static Optional<Lease> find() {
    Deque<Lease> leases = LEASES.get();
    return leases == null ? Optional.empty() : Optional.ofNullable(leases.peek());
  }

  /**
   * Returns the lease of the given lock if a locked method running on this thread holds it.
   *
   * @param name the resolved lock name
   * @return the lease, or empty if this thread holds no lease of that name
   */
  public static Optional<Lease> find(String name) {
    Deque<Lease> leases = LEASES.get();
    if (leases != null) {
      for (Lease lease : leases) {
        if (lease.name().equals(name)) {
          return Optional.of(lease);
        }
      }
    }
    return Optional.empty();
  }

  static void push(Lease lease) {
    Deque<Lease> leases = LEASES.get();
    if (leases == null) {
      leases = new ArrayDeque<>();
      LEASES.set(leases);
    }
    leases.push(lease);
  }

  static void pop() {
    Deque<Lease> leases = LEASES.get();
    if (leases != null) {
      leases.poll();
      if (leases.isEmpty()) {
        LEASES.remove();
      }
    }
  }
}
