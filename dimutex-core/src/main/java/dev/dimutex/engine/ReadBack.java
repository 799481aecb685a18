package dev.dimutex.engine;

import dev.dimutex.spi.StoreException;
import dev.dimutex.spi.StoredLock;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one read-back classifier for every write whose outcome is unknown (a create, a refresh, a
 * hand-over or a delete that timed out, or a precondition failure that may be the echo of an
 * applied retry): reads the object and says whether it is ours, someone else's, or absent.
 */
final class ReadBack {

  /** Any generation matches. */
  static final long ANY_GENERATION = Long.MIN_VALUE;

  enum Kind {
    /** The object carries the nonce (and, if one was given, the generation) of our write. */
    OURS,
    /** Another acquisition's object. */
    THEIRS,
    /** No object. */
    ABSENT
  }

  /** The classification and the object read, if any. */
  record Seen(Kind kind, @Nullable StoredLock object) {

    boolean ours() {
      return kind == Kind.OURS;
    }

    StoredLock get() {
      if (object == null) {
        throw new IllegalStateException("no object was read");
      }
      return object;
    }
  }

  private final Engine engine;

  ReadBack(Engine engine) {
    this.engine = engine;
  }

  /** Reads the object (one request) and learns the store's time from it. */
  Optional<StoredLock> read(String name) {
    Optional<StoredLock> read = engine.store.read(name);
    read.ifPresent(s -> engine.staleness.observe(s.updated(), engine.nanoTime()));
    return read;
  }

  /**
   * Reads the object back and classifies it against one acquisition.
   *
   * @throws StoreException if the read fails
   */
  Seen readBack(String name, String nonce, long generation) {
    return classify(read(name), nonce, generation);
  }

  /** Classifies an object already read against one acquisition. */
  static Seen classify(Optional<StoredLock> read, String nonce, long generation) {
    if (read.isEmpty()) {
      return new Seen(Kind.ABSENT, null);
    }
    StoredLock s = read.get();
    boolean ours =
        s.hasNonce(nonce)
            && (generation == ANY_GENERATION || s.version().generation() == generation);
    return new Seen(ours ? Kind.OURS : Kind.THEIRS, s);
  }
}
