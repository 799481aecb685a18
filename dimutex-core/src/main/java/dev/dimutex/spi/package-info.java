/**
 * Extension points of dimutex: the narrow {@link dev.dimutex.spi.LockStore} interface that a
 * backing store implements (create-if-absent, conditional update, conditional delete, read, list),
 * and {@link dev.dimutex.spi.StoreLockRegistry}, the lock algorithm that runs over any such store.
 *
 * <p>Applications normally use {@code dev.dimutex.gcs.GcsLockRegistry}; this package is for store
 * implementers and tests.
 */
@NullMarked
package dev.dimutex.spi;

import org.jspecify.annotations.NullMarked;
