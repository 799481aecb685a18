package dev.dimutex.testing;

import dev.dimutex.InvalidLockNameException;
import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.LockStore;
import dev.dimutex.spi.ObjectVersion;
import dev.dimutex.spi.StoreException;
import dev.dimutex.spi.StoredLock;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory {@link LockStore} with exact precondition semantics, per-operation request counts
 * and scripted faults: {@code fail} (not applied) and {@code drop} (applied, then the response is
 * lost, surfacing as a transient failure).
 */
public final class InMemoryLockStore implements LockStore {

  /** The store operations, for counting requests and scripting faults per operation. */
  public enum Op {
    /** {@link LockStore#create}: create-if-absent and conditional replace. */
    CREATE,
    /** {@link LockStore#read}. */
    READ,
    /** {@link LockStore#update}. */
    UPDATE,
    /** {@link LockStore#delete} and {@link LockStore#deleteGeneration}. */
    DELETE,
    /** {@link LockStore#list}. */
    LIST
  }

  private record Obj(
      long generation, long metageneration, LockRecord record, Instant created, Instant updated) {}

  private enum FaultKind {
    FAIL,
    DROP
  }

  private record Fault(FaultKind kind, StoreException.Kind errorKind, int status) {}

  private final Map<String, Obj> objects = new HashMap<>();
  private final EnumMap<Op, Deque<Fault>> faults = new EnumMap<>(Op.class);
  private final Deque<Fault> anyOp = new ArrayDeque<>();
  private final EnumMap<Op, AtomicLong> counts = new EnumMap<>(Op.class);
  private final Clock serverClock;
  private long nextGeneration = 1_000_001L;
  private volatile boolean clientRetries;

  /**
   * Creates an empty store.
   *
   * @param serverClock the store's clock, which sets {@code created} and {@code updated}
   */
  public InMemoryLockStore(Clock serverClock) {
    this.serverClock = serverClock;
    for (Op op : Op.values()) {
      faults.put(op, new ArrayDeque<>());
      counts.put(op, new AtomicLong());
    }
  }

  /**
   * Fails the next {@code count} requests of one operation without applying them.
   *
   * @param op the operation
   * @param count how many requests
   * @param kind how the failure is classified
   * @param status the HTTP status it carries
   */
  public synchronized void failNext(Op op, int count, StoreException.Kind kind, int status) {
    for (int i = 0; i < count; i++) {
      faults.get(op).add(new Fault(FaultKind.FAIL, kind, status));
    }
  }

  /**
   * Applies the next {@code count} requests of one operation, then loses their answers: each
   * surfaces as a transient failure although it applied.
   *
   * @param op the operation
   * @param count how many requests
   */
  public synchronized void dropNext(Op op, int count) {
    for (int i = 0; i < count; i++) {
      faults.get(op).add(new Fault(FaultKind.DROP, StoreException.Kind.TRANSIENT, 0));
    }
  }

  /**
   * Fails the next request, whatever its operation, with an HTTP status classified the way the GCS
   * store classifies it: 401, 403 and 404 as {@link StoreException.Kind#CONFIGURATION}; 408, 409,
   * 429 and 5xx as {@link StoreException.Kind#TRANSIENT}; anything else as {@link
   * StoreException.Kind#FATAL}. The request is not applied.
   *
   * @param status the HTTP status to fail with
   */
  public synchronized void failNextRequest(int status) {
    anyOp.add(new Fault(FaultKind.FAIL, kindOf(status), status));
  }

  /**
   * Applies the next request, whatever its operation, and then loses its answer: the caller sees a
   * transient failure (status 0).
   */
  public synchronized void dropNextRequest() {
    anyOp.add(new Fault(FaultKind.DROP, StoreException.Kind.TRANSIENT, 0));
  }

  private static StoreException.Kind kindOf(int status) {
    if (status == 401 || status == 403 || status == 404) {
      return StoreException.Kind.CONFIGURATION;
    }
    if (status == 0 || status == 408 || status == 409 || status == 429 || status >= 500) {
      return StoreException.Kind.TRANSIENT;
    }
    return StoreException.Kind.FATAL;
  }

  /**
   * Sets what {@link #clientRetriesMutations()} answers.
   *
   * @param value whether the store claims that its client retries mutations by itself
   */
  public void clientRetries(boolean value) {
    clientRetries = value;
  }

  /**
   * Counts the requests of one operation since the start or the last {@link #resetCounts()}.
   *
   * @param op the operation
   * @return the number of requests, failed ones included
   */
  public long count(Op op) {
    return counts.get(op).get();
  }

  /**
   * Counts every request since the start or the last {@link #resetCounts()}.
   *
   * @return the number of requests of all operations
   */
  public long total() {
    return counts.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** Sets every request count back to zero. */
  public synchronized void resetCounts() {
    counts.values().forEach(c -> c.set(0));
  }

  /**
   * Removes an object behind everyone's back (an operator or a bucket lifecycle rule), without
   * counting a request.
   *
   * @param name the lock name
   */
  public synchronized void deleteBehindTheBack(String name) {
    objects.remove(name);
  }

  /**
   * Reads an object without counting a request or consuming a fault.
   *
   * @param name the lock name
   * @return the object, or empty if there is none
   */
  public synchronized Optional<StoredLock> peek(String name) {
    Obj o = objects.get(name);
    return o == null ? Optional.empty() : Optional.of(stored(name, o));
  }

  /**
   * Puts an object as if written by another process, replacing any object of that name.
   *
   * @param name the lock name
   * @param record the metadata to write
   * @return the object written, with a new generation at metageneration 1
   */
  public synchronized StoredLock putForeign(String name, LockRecord record) {
    Obj o = new Obj(nextGeneration++, 1, record, serverClock.instant(), serverClock.instant());
    objects.put(name, o);
    return stored(name, o);
  }

  private @Nullable Fault enter(Op op) {
    counts.get(op).incrementAndGet();
    Fault f = faults.get(op).poll();
    return f != null ? f : anyOp.poll();
  }

  private static StoreException error(Fault f) {
    return new StoreException(
        f.errorKind(),
        f.status(),
        f.kind() == FaultKind.DROP
            ? "response dropped (request applied)"
            : "injected failure " + f.status(),
        null);
  }

  private static StoredLock stored(String name, Obj o) {
    return new StoredLock(
        name,
        new ObjectVersion(o.generation(), o.metageneration()),
        o.record(),
        o.created(),
        o.updated());
  }

  @Override
  public String describe() {
    return "memory:/";
  }

  @Override
  public void validateName(String name) {
    if (name.isEmpty()) {
      throw new InvalidLockNameException("lock name must not be empty");
    }
  }

  @Override
  public boolean clientRetriesMutations() {
    return clientRetries;
  }

  @Override
  public synchronized Optional<StoredLock> create(
      String name, LockRecord record, @Nullable ObjectVersion replacing) {
    Fault f = enter(Op.CREATE);
    if (f != null && f.kind() == FaultKind.FAIL) {
      throw error(f);
    }
    Obj live = objects.get(name);
    boolean ok =
        replacing == null
            ? live == null
            : live != null
                && live.generation() == replacing.generation()
                && live.metageneration() == replacing.metageneration();
    if (!ok) {
      if (f != null) {
        throw error(f);
      }
      return Optional.empty();
    }
    Instant now = serverClock.instant();
    Obj o = new Obj(nextGeneration++, 1, record, now, now);
    objects.put(name, o);
    if (f != null) {
      throw error(f);
    }
    return Optional.of(stored(name, o));
  }

  @Override
  public synchronized Optional<StoredLock> read(String name) {
    Fault f = enter(Op.READ);
    if (f != null) {
      throw error(f);
    }
    return peek(name);
  }

  @Override
  public synchronized Optional<StoredLock> update(
      String name, ObjectVersion expected, LockRecord record) {
    Fault f = enter(Op.UPDATE);
    if (f != null && f.kind() == FaultKind.FAIL) {
      throw error(f);
    }
    Obj live = objects.get(name);
    if (live == null
        || live.generation() != expected.generation()
        || live.metageneration() != expected.metageneration()) {
      if (f != null) {
        throw error(f);
      }
      return Optional.empty();
    }
    Obj o =
        new Obj(
            live.generation(),
            live.metageneration() + 1,
            record,
            live.created(),
            serverClock.instant());
    objects.put(name, o);
    if (f != null) {
      throw error(f);
    }
    return Optional.of(stored(name, o));
  }

  @Override
  public synchronized DeleteOutcome delete(String name, ObjectVersion expected) {
    return doDelete(name, expected.generation(), expected.metageneration());
  }

  @Override
  public synchronized DeleteOutcome deleteGeneration(String name, long generation) {
    return doDelete(name, generation, -1);
  }

  private DeleteOutcome doDelete(String name, long generation, long metageneration) {
    Fault f = enter(Op.DELETE);
    if (f != null && f.kind() == FaultKind.FAIL) {
      throw error(f);
    }
    Obj live = objects.get(name);
    DeleteOutcome out;
    if (live == null) {
      out = DeleteOutcome.NOT_FOUND;
    } else if (live.generation() != generation
        || (metageneration >= 0 && live.metageneration() != metageneration)) {
      out = DeleteOutcome.PRECONDITION_FAILED;
    } else {
      objects.remove(name);
      out = DeleteOutcome.DELETED;
    }
    if (f != null) {
      throw error(f);
    }
    return out;
  }

  @Override
  public synchronized List<StoredLock> list() {
    Fault f = enter(Op.LIST);
    if (f != null) {
      throw error(f);
    }
    List<StoredLock> out = new ArrayList<>();
    objects.forEach((k, v) -> out.add(stored(k, v)));
    return out;
  }

  @Override
  public void verifyAccess() {}
}
