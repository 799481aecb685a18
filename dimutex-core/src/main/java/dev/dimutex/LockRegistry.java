package dev.dimutex;

/**
 * A source of named distributed mutexes that share one store, one owner identity and one refresh
 * scheduler.
 *
 * <p>A registry is thread-safe. Within one registry, at most one thread per lock name talks to the
 * store at a time; other local callers for the same name queue in-process.
 */
public interface LockRegistry extends AutoCloseable {

  /**
   * Returns the mutex for a lock name. This is cheap and makes no remote call; the same name always
   * maps to the same lock object in the store.
   *
   * @param name the lock name, which must be a valid object name once the registry's prefix is
   *     prepended
   * @return the mutex for that name
   * @throws InvalidLockNameException if the name breaks an object-name rule; the message says which
   * @throws IllegalStateException if the registry has been closed
   */
  Mutex obtain(String name);

  /**
   * Releases every lease this registry still holds and stops its scheduler. Idempotent. Releases
   * that fail are logged, not thrown: a lease that cannot be released expires after its TTL.
   */
  @Override
  void close();
}
