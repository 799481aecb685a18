package dev.dimutex.gcs;

import dev.dimutex.InvalidLockNameException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** GCS object-name rules applied to prefix + lock name, with messages naming the rule. */
final class ObjectNames {

  static final int MAX_BYTES = 1024;
  static final String ACME = ".well-known/acme-challenge/";

  private ObjectNames() {}

  static void validatePrefix(String prefix) {
    String problem = problem(prefix, true);
    if (problem != null) {
      throw new IllegalArgumentException(
          "prefix '" + printable(prefix) + "' is invalid: " + problem);
    }
  }

  static void validateLockName(String prefix, String name) {
    if (name.isEmpty()) {
      throw new InvalidLockNameException(
          "lock name must not be empty (GCS object names need at least one character after the"
              + " prefix '"
              + prefix
              + "')");
    }
    String problem = problem(prefix + name, false);
    if (problem != null) {
      throw new InvalidLockNameException(
          "invalid lock name '"
              + printable(name)
              + "' (object '"
              + printable(prefix + name)
              + "'): "
              + problem);
    }
  }

  private static @Nullable String problem(String s, boolean isPrefix) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n') {
        return "GCS object names must not contain carriage return or line feed characters"
            + " (found at index "
            + i
            + ")";
      }
      if (Character.isISOControl(c)) {
        return "control characters (U+0000-U+001F, U+007F-U+009F) are not allowed in object names"
            + " (found U+"
            + String.format("%04X", (int) c)
            + " at index "
            + i
            + ")";
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return "object names must be valid UTF-8: unpaired surrogate at index " + i;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return "object names must be valid UTF-8: unpaired surrogate at index " + i;
      }
    }
    int bytes = s.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES || (isPrefix && bytes >= MAX_BYTES)) {
      return "object names are limited to "
          + MAX_BYTES
          + " bytes of UTF-8 including the prefix; this one is "
          + bytes
          + " bytes";
    }
    if (!isPrefix && (s.equals(".") || s.equals(".."))) {
      return "object names '.' and '..' are not allowed by GCS";
    }
    if (s.startsWith(ACME)) {
      return "object names starting with '" + ACME + "' are reserved by GCS";
    }
    return null;
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 120));
    for (int i = 0; i < s.length() && b.length() < 100; i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (b.length() >= 100) {
      b.append("...");
    }
    return b.toString();
  }
}
