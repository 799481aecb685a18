package dev.dimutex.simulation;

import dev.dimutex.InvalidLockNameException;
import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.LockStore;
import dev.dimutex.spi.ObjectVersion;
import dev.dimutex.spi.StoreException;
import dev.dimutex.spi.StoredLock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One registry's view of the store. Each call takes a random latency of true time (the registry's
 * thread is busy meanwhile) and, with the run's fault rate, one fault chosen by the seed: 429 or
 * 503 before the request applies; the object deleted by a third party just before (the call then
 * sees 404 semantics); the request applied but its answer lost; or the request applied later, after
 * the caller gave up on it (a delayed apply, which reorders it behind later calls).
 */
final class FaultyStore implements LockStore {

  private static final long MAX_LATE_APPLY_NANOS = 2_000_000_000L;

  enum Fault {
    NONE,
    RATE_LIMITED,
    UNAVAILABLE,
    OBJECT_GONE,
    ANSWER_LOST,
    LATE_APPLY
  }

  private final World world;
  private final Node node;
  private final double faultRate;
  long requests;

  FaultyStore(World world, Node node, double faultRate) {
    this.world = world;
    this.node = node;
    this.faultRate = faultRate;
  }

  /** Scripted failures (HTTP statuses; 0 = applied, answer lost), used by the store contract. */
  private final java.util.ArrayDeque<Integer> scripted = new java.util.ArrayDeque<>();

  void failNextRequest(int status) {
    scripted.add(status);
  }

  private Fault pick(boolean mutation) {
    if (faultRate <= 0 || !world.chance(faultRate)) {
      return Fault.NONE;
    }
    if (mutation && world.knobs.inFlightReorders() && world.chance(0.5)) {
      return Fault.LATE_APPLY;
    }
    Fault[] all = Fault.values();
    return all[1 + world.rnd.nextInt(mutation ? all.length - 1 : 3)];
  }

  private <T> T call(String what, String name, boolean mutation, Supplier<T> apply) {
    Meter m = node.meter;
    requests++;
    if (m != null) {
      m.requests++;
    }
    if (mutation && world.broken(Breakage.CHATTY_CLIENT)) {
      requests++;
      if (m != null) {
        m.requests++;
      }
      world.store.read(name);
    }
    Integer status = scripted.poll();
    if (status != null && status != 0) {
      throw new StoreException(
          kindOf(status), status, what + " of '" + name + "': " + status, null);
    }
    Fault f = status != null ? Fault.ANSWER_LOST : pick(mutation);
    if (f != Fault.NONE && m != null) {
      m.faults++;
    }
    world.advance(world.nextNanos(world.knobs.maxLatency().toNanos()));
    if (world.applyDue() > 0 && m != null) {
      // Someone's delayed write landed while this call was in flight: the call's budget no
      // longer holds, as with a fault of its own.
      m.faults++;
    }
    switch (f) {
      case NONE -> {
        T r = apply.get();
        world.trace(node + " " + what + " '" + name + "' -> " + brief(r));
        return r;
      }
      case RATE_LIMITED -> throw failed(what, name, 429, "rate limited (not applied)");
      case UNAVAILABLE -> throw failed(what, name, 503, "unavailable (not applied)");
      case OBJECT_GONE -> {
        world.store.deleteBehindTheBack(name);
        T r = apply.get();
        world.trace(
            node + " " + what + " '" + name + "' -> " + brief(r) + " (after external delete)");
        return r;
      }
      case ANSWER_LOST -> {
        T r = apply.get();
        world.trace(node + " " + what + " '" + name + "' applied (" + brief(r) + "), answer lost");
        throw failed(what, name, 0, "answer lost (applied)");
      }
      case LATE_APPLY -> {
        // Half land while the caller's next requests are in flight, half up to seconds later.
        long at =
            world.now()
                + world.nextNanos(
                    world.chance(0.5)
                        ? 2 * world.knobs.maxLatency().toNanos()
                        : MAX_LATE_APPLY_NANOS);
        world.applyLater(
            at,
            () ->
                world.trace(
                    node + " " + what + " '" + name + "' applied late -> " + brief(apply.get())));
        throw failed(what, name, 0, String.format("timed out (applies at %.3fs)", at / 1e9));
      }
    }
    throw new AssertionError(f);
  }

  private static StoreException.Kind kindOf(int status) {
    if (status == 401 || status == 403 || status == 404) {
      return StoreException.Kind.CONFIGURATION;
    }
    if (status == 408 || status == 409 || status == 429 || status >= 500) {
      return StoreException.Kind.TRANSIENT;
    }
    return StoreException.Kind.FATAL;
  }

  /** A short form of a store answer for the trace. */
  private static String brief(Object answer) {
    Object a = answer instanceof Optional<?> o ? o.orElse(null) : answer;
    if (a == null) {
      return "absent/refused";
    }
    if (a instanceof StoredLock s) {
      return s.version() + " of " + (s.record() == null ? "?" : s.record().ownerId());
    }
    if (a instanceof List<?> l) {
      return l.size() + " objects";
    }
    return String.valueOf(a);
  }

  private StoreException failed(String what, String name, int status, String detail) {
    world.trace(node + " " + what + " '" + name + "' FAILED " + status + " " + detail);
    return new StoreException(
        StoreException.Kind.TRANSIENT,
        status,
        what + " of '" + name + "' failed transiently: " + detail,
        null);
  }

  @Override
  public String describe() {
    return "sim://" + node;
  }

  @Override
  public void validateName(String name) {
    if (name.isEmpty()) {
      throw new InvalidLockNameException("lock name must not be empty");
    }
  }

  @Override
  public Optional<StoredLock> create(
      String name, LockRecord record, @Nullable ObjectVersion replacing) {
    String what = replacing == null ? "create" : "replace " + replacing + " of";
    return call(what, name, true, () -> world.store.create(node.ownerId, name, record, replacing));
  }

  @Override
  public Optional<StoredLock> read(String name) {
    return call("read", name, false, () -> world.store.read(name));
  }

  @Override
  public Optional<StoredLock> update(String name, ObjectVersion expected, LockRecord record) {
    return call(
        "update " + expected + " of",
        name,
        true,
        () -> world.store.update(node.ownerId, name, expected, record));
  }

  @Override
  public DeleteOutcome delete(String name, ObjectVersion expected) {
    return call(
        "delete " + expected + " of",
        name,
        true,
        () -> world.store.delete(node.ownerId, name, expected));
  }

  @Override
  public DeleteOutcome deleteGeneration(String name, long generation) {
    return call(
        "force-delete " + generation + " of",
        name,
        true,
        () -> world.store.deleteGeneration(node.ownerId, name, generation));
  }

  @Override
  public List<StoredLock> list() {
    return call("list", "*", false, world.store::snapshot);
  }

  @Override
  public void verifyAccess() {}
}
