/**
 * Extension points of dimutex, and nothing else: the narrow {@link dev.dimutex.spi.LockStore}
 * interface that a backing store implements (create-if-absent, conditional update, conditional
 * delete, read, list), the values it exchanges ({@link dev.dimutex.spi.StoredLock}, {@link
 * dev.dimutex.spi.LockRecord}, {@link dev.dimutex.spi.ObjectVersion}, {@link
 * dev.dimutex.spi.StoreException}), and the seams a test injects ({@link
 * dev.dimutex.spi.TimeSource}, {@link dev.dimutex.spi.Sleeper}).
 *
 * <p>The lock algorithm that runs over any such store is {@code
 * dev.dimutex.engine.StoreLockRegistry}. Applications normally use {@code
 * dev.dimutex.gcs.GcsLockRegistry}.
 */
@NullMarked
package dev.dimutex.spi;

import org.jspecify.annotations.NullMarked;
