/**
 * The lock algorithm over any {@link dev.dimutex.spi.LockStore}: the public {@link
 * dev.dimutex.engine.StoreLockRegistry} facade, its builder ({@link
 * dev.dimutex.engine.RegistryBuilder}, written once and extended by {@code
 * GcsLockRegistry.Builder}), the immutable {@link dev.dimutex.engine.RegistrySettings} and {@link
 * dev.dimutex.engine.Backoff}. Everything else in this package is package-private: one collaborator
 * per job (the per-name local slot, waiting, the remote acquisition attempt, staleness, refresh,
 * release and hand-over, the read-back classifier, the retry helper, the listener composite, the
 * message factory).
 */
@NullMarked
package dev.dimutex.engine;

import org.jspecify.annotations.NullMarked;
