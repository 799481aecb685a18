package dev.dimutex.spi;

import dev.dimutex.InvalidLockNameException;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The narrow interface between the lock algorithm ({@code dev.dimutex.engine.StoreLockRegistry})
 * and a store of lock objects, one object per lock name.
 *
 * <p>Every method sends at most one request and does not retry: the algorithm owns retries, because
 * only it can tell whether a retried mutation that failed its precondition had in fact been applied
 * by an earlier attempt. A store whose client retries by itself still works (the algorithm resolves
 * every ambiguous outcome by reading the object back), but loses precision: see {@link
 * #clientRetriesMutations()}.
 *
 * <p>Failures other than failed preconditions are thrown as {@link StoreException}; the store must
 * classify them correctly ({@link StoreException.Kind}).
 */
public interface LockStore {

  /**
   * Describes where the locks live, for messages (for example {@code gs://bucket/locks/}).
   *
   * @return a short description naming the location
   */
  String describe();

  /**
   * Checks that a lock name maps to a valid object name.
   *
   * @param name the lock name, without prefix
   * @throws InvalidLockNameException naming the lock and the rule that failed
   */
  void validateName(String name);

  /**
   * Creates the lock object if the expected state holds: absent when {@code replacing} is null,
   * otherwise exactly that generation and metageneration (a stale takeover or a local hand-over,
   * which gives the object a new generation in one request).
   *
   * @param name the lock name
   * @param record the metadata to write
   * @param replacing the version to replace, or null to create only if absent
   * @return the created object, or empty if the precondition failed
   * @throws StoreException on any other failure; a {@link StoreException.Kind#TRANSIENT} one leaves
   *     the outcome unknown
   */
  Optional<StoredLock> create(String name, LockRecord record, @Nullable ObjectVersion replacing);

  /**
   * Reads the lock object.
   *
   * @param name the lock name
   * @return the object, or empty if there is none
   * @throws StoreException on failure
   */
  Optional<StoredLock> read(String name);

  /**
   * Replaces the lock metadata if the object is still at exactly the expected version. On success
   * the metageneration increases and the generation stays.
   *
   * @param name the lock name
   * @param expected the generation and metageneration the caller last saw
   * @param record the metadata to write
   * @return the updated object, or empty if the object is absent or at another version
   * @throws StoreException on any other failure; a transient one leaves the outcome unknown
   */
  Optional<StoredLock> update(String name, ObjectVersion expected, LockRecord record);

  /**
   * Deletes the lock object if it is at exactly the expected version.
   *
   * @param name the lock name
   * @param expected the generation and metageneration the caller last saw
   * @return the outcome
   * @throws StoreException on any other failure; a transient one leaves the outcome unknown
   */
  DeleteOutcome delete(String name, ObjectVersion expected);

  /**
   * Deletes the lock object if it is at the given generation, whatever its metageneration (an
   * operator's forced release).
   *
   * @param name the lock name
   * @param generation the generation observed
   * @return the outcome
   * @throws StoreException on any other failure
   */
  DeleteOutcome deleteGeneration(String name, long generation);

  /**
   * Lists every lock object under this store's location.
   *
   * @return the objects, in any order
   * @throws StoreException on failure
   */
  List<StoredLock> list();

  /**
   * Checks that the store is reachable and accessible with one cheap read.
   *
   * @throws StoreException of kind {@link StoreException.Kind#CONFIGURATION} if it is not
   */
  void verifyAccess();

  /**
   * Tells whether the underlying client may retry mutations by itself, so that a precondition
   * failure or "not found" can be the echo of an earlier attempt of the same call that was applied.
   * The algorithm then treats such outcomes of a release as ambiguous and resolves them by reading
   * back.
   *
   * @return whether mutations may be retried below this interface; false by default
   */
  default boolean clientRetriesMutations() {
    return false;
  }

  /** The outcome of a conditional delete. */
  enum DeleteOutcome {
    /** The object was deleted. */
    DELETED,
    /** There was no object. */
    NOT_FOUND,
    /** The object was at another version. */
    PRECONDITION_FAILED
  }
}
