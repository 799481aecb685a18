package dev.dimutex.emulator;

/** Strict parsing of the non-negative decimal integers requests carry: ASCII digits only. */
final class Numbers {
  private Numbers() {}

  /** Whether {@code s} is only ASCII digits ({@code 0-9}), and non-empty unless allowed. */
  static boolean isDigits(String s, boolean emptyAllowed) {
    if (s.isEmpty()) {
      return emptyAllowed;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses a non-negative 64-bit decimal of ASCII digits; 400 {@code invalid} naming the parameter
   * otherwise (Long.parseLong alone would take other scripts' digits and a sign).
   */
  static long parse(String name, String raw) {
    if (!isDigits(raw, false) || raw.length() > 19) {
      throw GcsException.invalid(
          "Invalid argument for " + name + ": '" + raw + "' (expected a non-negative integer).");
    }
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw GcsException.invalid(
          "Invalid argument for " + name + ": '" + raw + "' (out of range).");
    }
  }
}
