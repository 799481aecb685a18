package dev.dimutex.gcs;

import com.google.cloud.storage.Blob;
import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.ObjectVersion;
import dev.dimutex.spi.StoredLock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The mapping between a {@link LockRecord} and a lock object's custom metadata. */
final class LockMetadata {

  static final String OWNER = "dimutex-owner";
  static final String OWNER_DESCRIPTION = "dimutex-owner-description";
  static final String NONCE = "dimutex-nonce";
  static final String TTL_MILLIS = "dimutex-ttl-ms";
  static final String ACQUIRED_AT = "dimutex-acquired-at";
  static final String REFRESHES = "dimutex-refreshes";

  private LockMetadata() {}

  static Map<String, String> toMetadata(LockRecord r) {
    Map<String, String> m = new HashMap<>();
    m.put(OWNER, r.ownerId());
    m.put(OWNER_DESCRIPTION, r.ownerDescription());
    m.put(NONCE, r.nonce());
    m.put(TTL_MILLIS, Long.toString(r.ttl().toMillis()));
    m.put(ACQUIRED_AT, r.acquiredAt().toString());
    m.put(REFRESHES, Long.toString(r.refreshes()));
    return m;
  }

  static @Nullable LockRecord fromMetadata(@Nullable Map<String, String> m) {
    if (m == null) {
      return null;
    }
    try {
      String owner = m.get(OWNER);
      String nonce = m.get(NONCE);
      String ttl = m.get(TTL_MILLIS);
      if (owner == null || nonce == null || ttl == null) {
        return null;
      }
      String desc = m.getOrDefault(OWNER_DESCRIPTION, "");
      String acquired = m.get(ACQUIRED_AT);
      String refreshes = m.get(REFRESHES);
      return new LockRecord(
          owner,
          desc == null ? "" : desc,
          nonce,
          Duration.ofMillis(Long.parseLong(ttl)),
          acquired == null ? Instant.EPOCH : Instant.parse(acquired),
          refreshes == null ? 0 : Long.parseLong(refreshes));
    } catch (RuntimeException ex) {
      return null;
    }
  }

  private static boolean echoes(
      Blob blob, @Nullable Map<String, String> sentMetadata, LockRecord sent) {
    return sentMetadata != null
        && sent.ttl().equals(Duration.ofMillis(sent.ttl().toMillis()))
        && sentMetadata.equals(blob.getMetadata());
  }

  static StoredLock toStored(String name, Blob blob) {
    return toStored(name, blob, null, null);
  }

  /**
   * Converts a blob this store just wrote with {@code sentMetadata} (made by {@link
   * #toMetadata(LockRecord)} from {@code sent}). When the store echoed exactly that metadata, the
   * record is {@code sent} itself instead of being parsed again: {@code
   * fromMetadata(toMetadata(r))} equals {@code r} whenever the TTL is a whole number of
   * milliseconds (the only lossy field; {@code Instant.toString()} and {@code Instant.parse}
   * round-trip exactly), so the result is the same, without parsing the timestamp on every
   * acquisition and refresh.
   */
  static StoredLock toStored(
      String name,
      Blob blob,
      @Nullable Map<String, String> sentMetadata,
      @Nullable LockRecord sent) {
    Long gen = blob.getGeneration();
    Long meta = blob.getMetageneration();
    OffsetDateTime created = blob.getCreateTimeOffsetDateTime();
    OffsetDateTime updated = blob.getUpdateTimeOffsetDateTime();
    Instant createdAt = created != null ? created.toInstant() : null;
    Instant updatedAt = updated != null ? updated.toInstant() : createdAt;
    return new StoredLock(
        name,
        new ObjectVersion(gen == null ? 1 : gen, meta == null ? 1 : meta),
        sent != null && echoes(blob, sentMetadata, sent) ? sent : fromMetadata(blob.getMetadata()),
        createdAt,
        updatedAt);
  }
}
