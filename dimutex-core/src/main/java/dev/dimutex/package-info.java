/**
 * The public API of dimutex: a distributed mutex whose state lives in an external store (Google
 * Cloud Storage in {@code dev.dimutex.gcs}).
 *
 * <p>Start from a {@link dev.dimutex.LockRegistry}: {@link dev.dimutex.LockRegistry#obtain(String)}
 * gives a {@link dev.dimutex.Mutex} per lock name, and acquiring a mutex gives a {@link
 * dev.dimutex.Lease}, which is refreshed automatically until it is released. Every exception is
 * unchecked and extends {@link dev.dimutex.LockException}.
 */
@NullMarked
package dev.dimutex;

import org.jspecify.annotations.NullMarked;
