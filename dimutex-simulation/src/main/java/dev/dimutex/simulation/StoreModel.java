package dev.dimutex.simulation;

import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.LockStore.DeleteOutcome;
import dev.dimutex.spi.ObjectVersion;
import dev.dimutex.spi.StoredLock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The bucket: one object per lock name with GCS semantics (a new unique generation per create,
 * metageneration from 1 increasing per metadata update, server times = true time, the four
 * preconditions). Every applied mutation is attributed to its writer, which lets the checker tell a
 * registry's own writes from anyone else's.
 */
final class StoreModel {

  private record Obj(
      long generation, long metageneration, LockRecord record, Instant created, Instant updated) {}

  /** What the checker knows about one generation (one acquisition). */
  static final class Generation {
    final String name;
    final String owner;
    final long predecessor;
    final long createdAt;
    long lastOwnWriteAt;
    boolean touchedByOther;
    boolean removedByForce;

    Generation(String name, String owner, long predecessor, long createdAt) {
      this.name = name;
      this.owner = owner;
      this.predecessor = predecessor;
      this.createdAt = createdAt;
      this.lastOwnWriteAt = createdAt;
    }
  }

  private final World world;
  private final Map<String, Obj> objects = new TreeMap<>();
  private final Map<Long, Generation> generations = new HashMap<>();
  private long nextGeneration = 1_000_000L;

  StoreModel(World world) {
    this.world = world;
  }

  @Nullable Generation generation(long token) {
    return generations.get(token);
  }

  /** The generation of the live object, or 0 if there is none. */
  long liveGeneration(String name) {
    Obj o = objects.get(name);
    return o == null ? 0 : o.generation;
  }

  List<StoredLock> snapshot() {
    List<StoredLock> out = new ArrayList<>();
    objects.forEach((k, v) -> out.add(stored(k, v)));
    return out;
  }

  Optional<StoredLock> read(String name) {
    Obj o = objects.get(name);
    if (o != null && world.broken(Breakage.ZOMBIE_REFRESHER)) {
      o = new Obj(o.generation, o.metageneration + 1, o.record, o.created, world.serverTime());
      objects.put(name, o);
    }
    return o == null ? Optional.empty() : Optional.of(stored(name, o));
  }

  private boolean matches(@Nullable Obj live, @Nullable ObjectVersion expected) {
    if (world.broken(Breakage.IGNORE_PRECONDITIONS)) {
      return true;
    }
    if (expected == null) {
      return live == null;
    }
    return live != null
        && live.generation == expected.generation()
        && live.metageneration == expected.metageneration();
  }

  Optional<StoredLock> create(
      String writer, String name, LockRecord record, @Nullable ObjectVersion replacing) {
    Obj live = objects.get(name);
    if (!matches(live, replacing)) {
      return Optional.empty();
    }
    Instant t = world.serverTime();
    Obj o = new Obj(nextGeneration++, 1, record, t, t);
    long predecessor = 0;
    if (live != null) {
      predecessor = live.generation;
      touched(live, writer, false);
    }
    objects.put(name, o);
    generations.put(o.generation, new Generation(name, writer, predecessor, world.now()));
    return Optional.of(stored(name, o));
  }

  Optional<StoredLock> update(
      String writer, String name, ObjectVersion expected, LockRecord record) {
    Obj live = objects.get(name);
    if (live == null || !matches(live, expected)) {
      return Optional.empty();
    }
    if (!live.record.ownerId().equals(writer)) {
      world.violation(
          Invariant.FOREIGN_WRITE,
          "a refresh by " + writer + " changed " + describe(name, live) + " of another owner");
    }
    touched(live, writer, false);
    Obj o =
        new Obj(live.generation, live.metageneration + 1, record, live.created, world.serverTime());
    objects.put(name, o);
    return Optional.of(stored(name, o));
  }

  DeleteOutcome delete(String writer, String name, ObjectVersion expected) {
    Obj live = objects.get(name);
    if (live == null) {
      return DeleteOutcome.NOT_FOUND;
    }
    if (!matches(live, expected)) {
      return DeleteOutcome.PRECONDITION_FAILED;
    }
    if (!live.record.ownerId().equals(writer)) {
      world.violation(
          Invariant.FOREIGN_WRITE,
          "a release by " + writer + " deleted " + describe(name, live) + " of another owner");
    }
    touched(live, writer, false);
    objects.remove(name);
    return DeleteOutcome.DELETED;
  }

  /** An operator's forced release: conditioned on the generation only. */
  DeleteOutcome deleteGeneration(String writer, String name, long generation) {
    Obj live = objects.get(name);
    if (live == null) {
      return DeleteOutcome.NOT_FOUND;
    }
    if (live.generation != generation && !world.broken(Breakage.IGNORE_PRECONDITIONS)) {
      return DeleteOutcome.PRECONDITION_FAILED;
    }
    touched(live, "force:" + writer, true);
    objects.remove(name);
    return DeleteOutcome.DELETED;
  }

  /** A third party (lifecycle rule, operator with gsutil) deletes the object unconditionally. */
  void deleteBehindTheBack(String name) {
    Obj live = objects.remove(name);
    if (live != null) {
      touched(live, "external", true);
      world.trace("external delete of " + describe(name, live));
    }
  }

  /** A hostile or corrupt writer replaces the object, whatever it is. */
  void putHostile(String name, LockRecord record) {
    Obj live = objects.get(name);
    if (live != null) {
      touched(live, "hostile", true);
    }
    Instant t = world.serverTime();
    Obj o = new Obj(nextGeneration++, 1, record, t, t);
    objects.put(name, o);
    generations.put(o.generation, new Generation(name, "hostile", 0, world.now()));
    world.trace("hostile object " + describe(name, o) + " with ttl " + record.ttl());
  }

  private void touched(Obj live, String writer, boolean forced) {
    Generation g = generations.get(live.generation);
    if (g == null) {
      return;
    }
    if (g.owner.equals(writer)) {
      g.lastOwnWriteAt = world.now();
      return;
    }
    // A write by someone else also touches the generations its owner handed the lock over from:
    // their releases cannot tell whether their hand-over applied before that write.
    for (Generation h = g;
        h != null && h.owner.equals(g.owner);
        h = generations.get(h.predecessor)) {
      h.touchedByOther = true;
      h.removedByForce |= forced && h == g;
    }
  }

  private static String describe(String name, Obj o) {
    return "'"
        + name
        + "' "
        + o.generation
        + "/"
        + o.metageneration
        + " ("
        + o.record.ownerId()
        + ")";
  }

  private static StoredLock stored(String name, Obj o) {
    return new StoredLock(
        name, new ObjectVersion(o.generation, o.metageneration), o.record, o.created, o.updated);
  }
}
