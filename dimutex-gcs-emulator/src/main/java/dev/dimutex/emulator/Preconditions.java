package dev.dimutex.emulator;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The four generation/metageneration preconditions of one request. */
record Preconditions(
    @Nullable Long ifGenerationMatch,
    @Nullable Long ifGenerationNotMatch,
    @Nullable Long ifMetagenerationMatch,
    @Nullable Long ifMetagenerationNotMatch) {

  static final Preconditions NONE = new Preconditions(null, null, null, null);

  static Preconditions parse(Map<String, String> query) {
    return new Preconditions(
        parse(query, "ifGenerationMatch"),
        parse(query, "ifGenerationNotMatch"),
        parse(query, "ifMetagenerationMatch"),
        parse(query, "ifMetagenerationNotMatch"));
  }

  static @Nullable Long parse(Map<String, String> query, String name) {
    String raw = query.get(name);
    if (raw == null) {
      return null;
    }
    return Numbers.parse(name, raw);
  }

  boolean isEmpty() {
    return ifGenerationMatch == null
        && ifGenerationNotMatch == null
        && ifMetagenerationMatch == null
        && ifMetagenerationNotMatch == null;
  }

  /**
   * Checks the conditions against the live version ({@code null}: none). Without a live version,
   * {@code ifGenerationMatch=0} holds and every other condition fails (GCS documents this for
   * {@code ifGenerationNotMatch}: "If no live object exists, the precondition fails"). A failed
   * {@code ...NotMatch} answers 304 on reads and 412 otherwise; any other failure answers 412.
   */
  void check(@Nullable StoredObject live, boolean read) {
    if (live == null) {
      if ((ifGenerationMatch != null && ifGenerationMatch != 0)
          || ifGenerationNotMatch != null
          || ifMetagenerationMatch != null
          || ifMetagenerationNotMatch != null) {
        throw GcsException.preconditionFailed();
      }
      return;
    }
    if (ifGenerationMatch != null && ifGenerationMatch != live.generation()) {
      throw GcsException.preconditionFailed();
    }
    if (ifMetagenerationMatch != null && ifMetagenerationMatch != live.metageneration()) {
      throw GcsException.preconditionFailed();
    }
    if (ifGenerationNotMatch != null && ifGenerationNotMatch == live.generation()) {
      throw read ? GcsException.notModified() : GcsException.preconditionFailed();
    }
    if (ifMetagenerationNotMatch != null && ifMetagenerationNotMatch == live.metageneration()) {
      throw read ? GcsException.notModified() : GcsException.preconditionFailed();
    }
  }
}
