package dev.dimutex.spring;

import dev.dimutex.Lease;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The leases that locked methods running on the current thread hold, by resolved name, so that a
 * nested call on the same name runs under the outer lease instead of waiting for itself.
 *
 * <p>Invariant: a name is present exactly while a locked method that acquired it runs on this
 * thread; {@link CurrentLease} sees the same leases, innermost first.
 */
final class HeldLocks {

  private final ThreadLocal<Map<String, Lease>> held = new ThreadLocal<>();

  /** Returns the lease this thread holds for the name, if a locked method on it acquired one. */
  @Nullable Lease find(String name) {
    Map<String, Lease> map = held.get();
    return map == null ? null : map.get(name);
  }

  /** Records a lease acquired by the current thread and makes it the {@link CurrentLease}. */
  void enter(Lease lease) {
    Map<String, Lease> map = held.get();
    if (map == null) {
      map = new HashMap<>();
      held.set(map);
    }
    map.put(lease.name(), lease);
    CurrentLease.push(lease);
  }

  /** Undoes {@link #enter(Lease)}. */
  void exit(Lease lease) {
    CurrentLease.pop();
    Map<String, Lease> map = held.get();
    if (map != null) {
      map.remove(lease.name());
      if (map.isEmpty()) {
        held.remove();
      }
    }
  }

  /**
   * Makes an outer lease the {@link CurrentLease} for a nested call; undone by {@link
   * #exitNested()}.
   */
  void enterNested(Lease outer) {
    CurrentLease.push(outer);
  }

  void exitNested() {
    CurrentLease.pop();
  }
}
