package dev.dimutex.emulator;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The parsed body of an upload request: the JSON object resource (empty for media uploads), the
 * data (empty for a resumable start), and the content type that came with the data.
 */
record UploadBody(
    Map<String, @Nullable Object> metadata, byte[] data, @Nullable String dataContentType) {

  /** The name given in the resource, or {@code null}. */
  @Nullable String name() {
    return metadata.get("name") instanceof String n ? n : null;
  }
}
