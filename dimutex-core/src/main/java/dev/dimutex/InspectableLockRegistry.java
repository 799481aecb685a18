package dev.dimutex;

import java.util.List;

/** A {@link LockRegistry} that can report what it holds and what the store contains. */
public interface InspectableLockRegistry extends LockRegistry {

  /**
   * Returns the leases this registry holds now. Makes no remote call.
   *
   * @return a snapshot, sorted by lock name
   */
  List<LeaseInfo> heldLeases();

  /**
   * Lists every lock object under this registry's prefix, whoever holds it.
   *
   * @return a snapshot, sorted by lock name
   * @throws LockException if the store cannot be listed
   */
  List<LockObjectInfo> lockObjects();
}
