package dev.dimutex.emulator;

import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One bucket: live objects sorted by name. Object mutations hold the read side of {@link
 * #lifecycle} plus the per-name stripe; deleting the bucket holds the write side, so it never races
 * with an insert.
 */
final class Bucket {
  private static final int STRIPES = 64;

  final String name;
  final Instant timeCreated;

  /** GCS lists in UTF-8 byte order, which is code point order (not Java's UTF-16 order). */
  static final Comparator<String> NAME_ORDER =
      (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
          int ca = a.codePointAt(i);
          int cb = b.codePointAt(j);
          if (ca != cb) {
            return Integer.compare(ca, cb);
          }
          i += Character.charCount(ca);
          j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
      };

  final ConcurrentSkipListMap<String, StoredObject> objects =
      new ConcurrentSkipListMap<>(NAME_ORDER);
  final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  volatile boolean deleted;
  private final Object[] stripes = new Object[STRIPES];

  Bucket(String name, Instant timeCreated) {
    this.name = name;
    this.timeCreated = timeCreated;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Object();
    }
  }

  Object stripe(String objectName) {
    return stripes[(objectName.hashCode() & 0x7fffffff) % STRIPES];
  }

  /** {@link #validateName} for Java and command-line callers, who expect an argument error. */
  static void checkNameArgument(String name) {
    try {
      validateName(name);
    } catch (GcsException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  static void validateName(String name) {
    boolean ok = name.length() >= 3 && name.length() <= 222;
    for (int i = 0; ok && i < name.length(); i++) {
      char c = name.charAt(i);
      ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    }
    if (ok) {
      char first = name.charAt(0);
      char last = name.charAt(name.length() - 1);
      ok = Character.isLetterOrDigit(first) && Character.isLetterOrDigit(last);
    }
    if (ok && !name.contains(".")) {
      ok = name.length() <= 63;
    }
    if (!ok) {
      throw GcsException.invalid(
          "Invalid bucket name: '"
              + name
              + "'. Bucket names have 3-63 characters (up to 222 with dots): lowercase letters,"
              + " digits, '-', '_' and '.', starting and ending with a letter or digit.");
    }
  }
}
