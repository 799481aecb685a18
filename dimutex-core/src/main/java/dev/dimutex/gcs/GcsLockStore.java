package dev.dimutex.gcs;

import com.google.api.gax.paging.Page;
import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.LockStore;
import dev.dimutex.spi.ObjectVersion;
import dev.dimutex.spi.StoreException;
import dev.dimutex.spi.StoredLock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GCS implementation of {@link LockStore}: one object {@code <prefix><name>} per lock, state in
 * custom metadata, {@code Cache-Control: no-store}. Each method sends exactly one JSON API request.
 *
 * <p>The client's own retries are switched off for the calls of this store (a copy of the caller's
 * {@code Storage} with {@code maxAttempts = 1}): the lock algorithm retries itself, and only then
 * can it tell a failed precondition from the echo of its own earlier, applied attempt. If the copy
 * cannot be made (an unusual {@code Storage}), the given one is used and {@link
 * #clientRetriesMutations()} says so.
 */
final class GcsLockStore implements LockStore {

  private static final Logger log = LoggerFactory.getLogger(GcsLockStore.class);

  private static final byte[] EMPTY = new byte[0];

  private final Storage storage;
  private final boolean clientRetries;
  private final String bucket;
  private final String prefix;

  GcsLockStore(Storage given, String bucket, String prefix) {
    Storage noRetry = withoutClientRetries(given);
    this.storage = noRetry != null ? noRetry : given;
    this.clientRetries = noRetry == null;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  private static @Nullable Storage withoutClientRetries(Storage given) {
    try {
      StorageOptions options = given.getOptions();
      if (options == null) {
        return null;
      }
      RetrySettings retry = options.getRetrySettings().toBuilder().setMaxAttempts(1).build();
      return options.toBuilder().setRetrySettings(retry).build().getService();
    } catch (RuntimeException ex) {
      log.debug("Using the given Storage with its own retries: {}", ex.toString());
      return null;
    }
  }

  /** Closes the client copy this store made (the caller's {@code Storage} stays open). */
  void close() {
    if (!clientRetries) {
      try {
        storage.close();
      } catch (Exception ex) {
        if (ex instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        log.debug("Closing the lock client copy failed: {}", ex.toString());
      }
    }
  }

  @Override
  public String describe() {
    return "gs://" + bucket + "/" + prefix;
  }

  String bucket() {
    return bucket;
  }

  @Override
  public void validateName(String name) {
    ObjectNames.validateLockName(prefix, name);
  }

  @Override
  public boolean clientRetriesMutations() {
    return clientRetries;
  }

  private BlobId id(String name) {
    return BlobId.of(bucket, prefix + name);
  }

  @Override
  public Optional<StoredLock> create(
      String name, LockRecord record, @Nullable ObjectVersion replacing) {
    Map<String, String> metadata = LockMetadata.toMetadata(record);
    BlobInfo info =
        BlobInfo.newBuilder(id(name))
            .setContentType("text/plain")
            .setCacheControl("no-store")
            .setMetadata(metadata)
            .build();
    Storage.BlobTargetOption[] options =
        replacing == null
            ? new Storage.BlobTargetOption[] {Storage.BlobTargetOption.doesNotExist()}
            : new Storage.BlobTargetOption[] {
              Storage.BlobTargetOption.generationMatch(replacing.generation()),
              Storage.BlobTargetOption.metagenerationMatch(replacing.metageneration())
            };
    String step = replacing == null ? "create" : "replace " + replacing;
    try {
      Blob blob = storage.create(info, EMPTY, options);
      log.debug("{} {}{}: ok {}", step, prefix, name, blob.getGeneration());
      return Optional.of(LockMetadata.toStored(name, blob, metadata, record));
    } catch (StorageException ex) {
      if (ex.getCode() == 412) {
        log.debug("{} {}{}: 412 precondition failed", step, prefix, name);
        return Optional.empty();
      }
      throw translate(ex, step, name, true);
    }
  }

  @Override
  public Optional<StoredLock> read(String name) {
    try {
      Blob blob = storage.get(id(name));
      log.debug("read {}{}: {}", prefix, name, blob == null ? "absent" : versionOf(blob));
      return blob == null ? Optional.empty() : Optional.of(LockMetadata.toStored(name, blob));
    } catch (StorageException ex) {
      throw translate(ex, "read", name, false);
    }
  }

  @Override
  public Optional<StoredLock> update(String name, ObjectVersion expected, LockRecord record) {
    Map<String, String> metadata = LockMetadata.toMetadata(record);
    BlobInfo info = BlobInfo.newBuilder(id(name)).setMetadata(metadata).build();
    try {
      Blob blob =
          storage.update(
              info,
              Storage.BlobTargetOption.generationMatch(expected.generation()),
              Storage.BlobTargetOption.metagenerationMatch(expected.metageneration()));
      if (log.isDebugEnabled()) { // versionOf builds a string: not on every refresh for nothing
        log.debug("patch {}{} at {}: ok {}", prefix, name, expected, versionOf(blob));
      }
      return Optional.of(LockMetadata.toStored(name, blob, metadata, record));
    } catch (StorageException ex) {
      if (ex.getCode() == 412 || ex.getCode() == 404) {
        log.debug("patch {}{} at {}: {}", prefix, name, expected, ex.getCode());
        return Optional.empty();
      }
      throw translate(ex, "patch", name, true);
    }
  }

  @Override
  public DeleteOutcome delete(String name, ObjectVersion expected) {
    return doDelete(
        name,
        "delete at " + expected,
        Storage.BlobSourceOption.generationMatch(expected.generation()),
        Storage.BlobSourceOption.metagenerationMatch(expected.metageneration()));
  }

  @Override
  public DeleteOutcome deleteGeneration(String name, long generation) {
    return doDelete(
        name,
        "delete generation " + generation,
        Storage.BlobSourceOption.generationMatch(generation));
  }

  private DeleteOutcome doDelete(String name, String step, Storage.BlobSourceOption... options) {
    try {
      boolean deleted = storage.delete(id(name), options);
      log.debug("{} {}{}: {}", step, prefix, name, deleted ? "deleted" : "404");
      return deleted ? DeleteOutcome.DELETED : DeleteOutcome.NOT_FOUND;
    } catch (StorageException ex) {
      if (ex.getCode() == 412) {
        log.debug("{} {}{}: 412 precondition failed", step, prefix, name);
        return DeleteOutcome.PRECONDITION_FAILED;
      }
      throw translate(ex, step, name, true);
    }
  }

  @Override
  public List<StoredLock> list() {
    try {
      List<StoredLock> out = new ArrayList<>();
      Page<Blob> page = storage.list(bucket, Storage.BlobListOption.prefix(prefix));
      for (Blob blob : page.iterateAll()) {
        String full = blob.getName();
        if (full.length() > prefix.length()) {
          out.add(LockMetadata.toStored(full.substring(prefix.length()), blob));
        }
      }
      log.debug("list {}: {} objects", describe(), out.size());
      return out;
    } catch (StorageException ex) {
      throw translate(ex, "list", "*", false);
    }
  }

  @Override
  public void verifyAccess() {
    Bucket b;
    try {
      b = storage.get(bucket);
    } catch (StorageException ex) {
      throw translate(ex, "read bucket", "*", false);
    }
    if (b == null) {
      throw new StoreException(
          StoreException.Kind.CONFIGURATION,
          404,
          "bucket '" + bucket + "' does not exist (404)",
          null);
    }
    log.debug("verified access to bucket '{}'", bucket);
  }

  private StoreException translate(
      StorageException ex, String step, String name, boolean mutation) {
    int code = ex.getCode();
    String where = "bucket '" + bucket + "', object '" + prefix + name + "'";
    StoreException.Kind kind;
    String what;
    if (code == 401 || code == 403) {
      kind = StoreException.Kind.CONFIGURATION;
      what =
          (code == 401 ? "credentials were rejected (401)" : "permission denied (403)")
              + " on "
              + where
              + ": "
              + ex.getMessage();
    } else if (code == 404) {
      kind = StoreException.Kind.CONFIGURATION;
      what = "bucket '" + bucket + "' not found (404) while trying to " + step + " " + where;
    } else if (code == 0 || code == 408 || code == 409 || code == 429 || code >= 500) {
      kind = StoreException.Kind.TRANSIENT;
      what =
          step
              + " of "
              + where
              + " failed transiently ("
              + (code == 0 ? "no response" : code)
              + (mutation ? ", outcome unknown" : "")
              + "): "
              + ex.getMessage();
    } else {
      kind = StoreException.Kind.FATAL;
      what = step + " of " + where + " was refused (" + code + "): " + ex.getMessage();
    }
    log.debug("{} {}{}: {}", step, prefix, name, what);
    return new StoreException(kind, code, what, ex);
  }

  private static String versionOf(Blob blob) {
    return blob.getGeneration() + "/" + blob.getMetageneration();
  }
}
