package dev.dimutex.engine;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The registry's slots by lock name. A slot leaves the table when it retires (idle, no one queued).
 */
final class SlotTable {

  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

  /** The live slot of a name; callers retry if it retires before they join it. */
  Slot enter(String name) {
    return slots.computeIfAbsent(name, Slot::new);
  }

  /** A slot that is not retired, for the lock view. */
  Slot forView(String name) {
    while (true) {
      Slot s = enter(name);
      if (!s.isRetired()) {
        return s;
      }
      slots.remove(name, s);
    }
  }

  @Nullable Slot existing(String name) {
    return slots.get(name);
  }

  Collection<Slot> all() {
    return slots.values();
  }

  /** Retires the slot and drops it from the table if it is idle. */
  void retireIfIdle(Slot s) {
    slots.computeIfPresent(s.name, (k, cur) -> cur == s && s.tryRetire() ? null : cur);
  }

  int queued(String name) {
    Slot s = slots.get(name);
    return s == null ? 0 : s.queued();
  }
}
