package dev.dimutex.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A strict parser for {@code multipart/related} bodies (RFC 2046 framing). */
final class Multipart {
  private Multipart() {}

  record Part(Map<String, String> headers, byte[] body) {}

  /** The boundary parameter of a {@code multipart/...} content type. */
  static String boundary(@Nullable String contentType) {
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/related")) {
      throw GcsException.invalid(
          "uploadType=multipart needs Content-Type multipart/related, got '" + contentType + "'.");
    }
    for (String param : contentType.split(";")) {
      String p = param.trim();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
        String value = p.substring(eq + 1).trim();
        // Double quotes per RFC 2045; single quotes as Python's apitools sends them.
        if (value.length() >= 2
            && ((value.startsWith("\"") && value.endsWith("\""))
                || (value.startsWith("'") && value.endsWith("'")))) {
          value = value.substring(1, value.length() - 1);
        }
        if (value.isEmpty() || value.length() > 200) {
          break;
        }
        return value;
      }
    }
    throw GcsException.invalid(
        "The multipart Content-Type has no valid boundary parameter (expected boundary=VALUE,"
            + " 1 to 200 characters, optionally in double or single quotes).");
  }

  /**
   * Splits a body into its parts. Line breaks may be CRLF (RFC 2046) or bare LF (as Python's email
   * package writes them, and GCS accepts).
   */
  static List<Part> parse(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int pos;
    if (startsWith(body, 0, "--" + boundary)) {
      pos = 0;
    } else {
      pos = indexOf(body, ("\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), 0);
      if (pos < 0) {
        throw malformed("the opening boundary is missing");
      }
      pos += 1;
    }
    pos += delimiter.length;
    byte[] next = ("\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    List<Part> parts = new ArrayList<>();
    while (true) {
      if (startsWith(body, pos, "--")) {
        break;
      }
      while (pos < body.length && (body[pos] == ' ' || body[pos] == '\t')) {
        pos++; // transport padding
      }
      pos = skipLineBreak(body, pos);
      Map<String, String> headers = new LinkedHashMap<>();
      while (true) {
        int eol = indexOf(body, new byte[] {'\n'}, pos);
        if (eol < 0) {
          throw malformed("a part has no header/body separator");
        }
        int lineEnd = eol > pos && body[eol - 1] == '\r' ? eol - 1 : eol;
        String line = new String(body, pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
        pos = eol + 1;
        if (line.isEmpty()) {
          break;
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
          throw malformed("invalid part header line");
        }
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
      int contentStart = pos;
      int found = indexOf(body, next, contentStart - 1);
      if (found < 0) {
        throw malformed("a part is not terminated by the boundary");
      }
      int contentEnd = found;
      if (contentEnd > contentStart && body[contentEnd - 1] == '\r') {
        contentEnd--;
      }
      parts.add(
          new Part(
              headers, Arrays.copyOfRange(body, contentStart, Math.max(contentStart, contentEnd))));
      if (parts.size() > 2) {
        throw malformed("more than two parts");
      }
      pos = found + next.length;
    }
    if (parts.size() != 2) {
      throw malformed(
          "expected two parts (JSON metadata, then the object data), got " + parts.size());
    }
    return parts;
  }

  private static GcsException malformed(String why) {
    return GcsException.invalid("Malformed multipart body: " + why + ".");
  }

  private static int skipLineBreak(byte[] body, int pos) {
    if (startsWith(body, pos, "\r\n")) {
      return pos + 2;
    }
    if (startsWith(body, pos, "\n")) {
      return pos + 1;
    }
    throw malformed("a boundary is not followed by a line break");
  }

  private static boolean startsWith(byte[] body, int pos, String text) {
    if (pos + text.length() > body.length) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (body[pos + i] != (byte) text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
