package dev.dimutex.emulator;

import dev.dimutex.emulator.StoredObject.ObjectMeta;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** JSON rendering of buckets and objects, and parsing of writable object metadata. */
final class Resources {
  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  static final String LOCATION = "US";
  static final String LOCATION_TYPE = "multi-region";

  private Resources() {}

  static String time(Instant instant) {
    return RFC3339.format(instant);
  }

  static Map<String, @Nullable Object> object(StoredObject o, String baseUrl) {
    String encoded = Urls.encode(o.name());
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("kind", "storage#object");
    m.put("id", o.bucket() + "/" + o.name() + "/" + o.generation());
    m.put("selfLink", baseUrl + "/storage/v1/b/" + o.bucket() + "/o/" + encoded);
    m.put(
        "mediaLink",
        baseUrl
            + "/download/storage/v1/b/"
            + o.bucket()
            + "/o/"
            + encoded
            + "?generation="
            + o.generation()
            + "&alt=media");
    m.put("name", o.name());
    m.put("bucket", o.bucket());
    m.put("generation", Long.toString(o.generation()));
    m.put("metageneration", Long.toString(o.metageneration()));
    ObjectMeta meta = o.meta();
    m.put(
        "contentType",
        meta.contentType() == null ? "application/octet-stream" : meta.contentType());
    m.put("storageClass", o.storageClass());
    m.put("size", Integer.toString(o.data().length));
    m.put("md5Hash", o.md5Base64());
    m.put("crc32c", o.crc32cBase64());
    m.put("etag", o.etag());
    m.put("timeCreated", time(o.timeCreated()));
    m.put("updated", time(o.updated()));
    m.put("timeStorageClassUpdated", time(o.timeCreated()));
    if (meta.cacheControl() != null) {
      m.put("cacheControl", meta.cacheControl());
    }
    if (meta.contentEncoding() != null) {
      m.put("contentEncoding", meta.contentEncoding());
    }
    if (meta.contentDisposition() != null) {
      m.put("contentDisposition", meta.contentDisposition());
    }
    if (meta.contentLanguage() != null) {
      m.put("contentLanguage", meta.contentLanguage());
    }
    if (meta.customTime() != null) {
      m.put("customTime", time(meta.customTime()));
    }
    if (!meta.metadata().isEmpty()) {
      m.put("metadata", new TreeMap<>(meta.metadata()));
    }
    return m;
  }

  static Map<String, @Nullable Object> bucket(Bucket b, String baseUrl) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("kind", "storage#bucket");
    m.put("selfLink", baseUrl + "/storage/v1/b/" + b.name);
    m.put("id", b.name);
    m.put("name", b.name);
    m.put("projectNumber", "0");
    m.put("metageneration", "1");
    m.put("location", LOCATION);
    m.put("storageClass", "STANDARD");
    m.put("etag", "CAE=");
    m.put("timeCreated", time(b.timeCreated));
    m.put("updated", time(b.timeCreated));
    m.put("locationType", LOCATION_TYPE);
    return m;
  }

  private static final List<String> STRING_FIELDS =
      List.of(
          "contentType",
          "cacheControl",
          "contentEncoding",
          "contentDisposition",
          "contentLanguage");

  /**
   * Merges writable fields of a JSON object resource into {@code base} (patch semantics: absent
   * fields keep their value, {@code null} clears, custom metadata keys with {@code null} are
   * removed). Read-only and unknown fields are ignored; supported-by-GCS but unimplemented fields
   * with a non-default value answer 501.
   */
  static ObjectMeta merge(ObjectMeta base, Map<String, @Nullable Object> json) {
    refuseUnimplemented(json);
    String[] strings = {
      base.contentType(),
      base.cacheControl(),
      base.contentEncoding(),
      base.contentDisposition(),
      base.contentLanguage()
    };
    for (int i = 0; i < STRING_FIELDS.size(); i++) {
      String field = STRING_FIELDS.get(i);
      if (json.containsKey(field)) {
        Object value = json.get(field);
        if (value != null && !(value instanceof String)) {
          throw GcsException.invalid("Invalid value for " + field + ": expected a string.");
        }
        if (value != null) {
          checkHeaderSafe(field, (String) value);
        }
        strings[i] = (String) value;
      }
    }
    Instant customTime = base.customTime();
    if (json.containsKey("customTime")) {
      Object value = json.get("customTime");
      if (value == null) {
        customTime = null;
      } else if (value instanceof String s) {
        customTime = parseTime(s, "customTime");
      } else {
        throw GcsException.invalid("Invalid value for customTime: expected an RFC 3339 string.");
      }
    }
    Map<String, String> metadata = new LinkedHashMap<>(base.metadata());
    if (json.containsKey("metadata")) {
      Object value = json.get("metadata");
      if (value == null) {
        metadata.clear();
      } else if (value instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
          String key = String.valueOf(e.getKey());
          Object v = e.getValue();
          if (key.isEmpty()) {
            throw GcsException.invalid("Custom metadata keys must not be empty.");
          }
          checkHeaderSafe("metadata key '" + key + "'", key);
          if (v == null) {
            metadata.remove(key);
          } else if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            checkHeaderSafe("metadata['" + key + "']", v.toString());
            metadata.put(key, v.toString());
          } else {
            throw GcsException.invalid(
                "Invalid value for metadata['" + key + "']: expected a string.");
          }
        }
      } else {
        throw GcsException.invalid("Invalid value for metadata: expected an object.");
      }
    }
    return new ObjectMeta(
        strings[0], strings[1], strings[2], strings[3], strings[4], customTime, metadata);
  }

  /**
   * Refuses control characters (U+0000-U+001F, U+007F) in a value that ends up in HTTP headers
   * (downloads send contentType, cacheControl and friends as headers; the XML API sends custom
   * metadata as {@code x-goog-meta-*}): a CR/LF would split the response, a NUL corrupt it.
   */
  static void checkHeaderSafe(String field, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw GcsException.invalid(
            "Invalid value for "
                + field.replaceAll("[\\x00-\\x1f\\x7f]", "?")
                + ": control characters (U+"
                + String.format("%04X", (int) c)
                + ") are not allowed.");
      }
    }
  }

  /** GCS refuses to remove customTime or to move it backwards. */
  static void checkCustomTime(ObjectMeta before, ObjectMeta after) {
    Instant old = before.customTime();
    if (old == null) {
      return;
    }
    if (after.customTime() == null) {
      throw GcsException.invalid("customTime cannot be removed once set.");
    }
    if (after.customTime().isBefore(old)) {
      throw GcsException.invalid(
          "customTime cannot be set to an earlier time than its current value " + time(old) + ".");
    }
  }

  static Instant parseTime(String value, String field) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw GcsException.invalid(
          "Invalid value for " + field + ": '" + value + "' is not an RFC 3339 timestamp.");
    }
  }

  private static void refuseUnimplemented(Map<String, @Nullable Object> json) {
    Object acl = json.get("acl");
    if (acl instanceof List<?> list && !list.isEmpty()) {
      throw GcsException.notImplemented("object ACLs ('acl')");
    }
    for (String hold : List.of("temporaryHold", "eventBasedHold")) {
      if (Boolean.TRUE.equals(json.get(hold))) {
        throw GcsException.notImplemented("object holds ('" + hold + "')");
      }
    }
    for (String field : List.of("retention", "kmsKeyName", "customerEncryption", "contexts")) {
      if (json.get(field) != null) {
        throw GcsException.notImplemented("the object field '" + field + "'");
      }
    }
  }
}
