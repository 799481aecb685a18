/**
 * The Google Cloud Storage backend: {@link dev.dimutex.gcs.GcsLockRegistry}, built with {@link
 * dev.dimutex.gcs.GcsLockRegistry#builder(com.google.cloud.storage.Storage, String)}. One object
 * per lock name under a prefix; every mutation carries GCS preconditions.
 */
@NullMarked
package dev.dimutex.gcs;

import org.jspecify.annotations.NullMarked;
