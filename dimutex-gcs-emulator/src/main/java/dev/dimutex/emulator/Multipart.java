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
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        if (value.isEmpty() || value.length() > 200) {
          break;
        }
        return value;
      }
    }
    throw GcsException.invalid("The multipart Content-Type has no valid boundary parameter.");
  }

  static List<Part> parse(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int pos = indexOf(body, delimiter, 0);
    if (pos < 0) {
      throw malformed("the opening boundary is missing");
    }
    List<Part> parts = new ArrayList<>();
    pos += delimiter.length;
    while (true) {
      if (startsWith(body, pos, "--")) {
        break;
      }
      pos = skipLineBreak(body, pos);
      Map<String, String> headers = new LinkedHashMap<>();
      int contentStart;
      if (startsWith(body, pos, "\r\n")) {
        contentStart = pos + 2;
      } else {
        int headerEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), pos);
        if (headerEnd < 0) {
          throw malformed("a part has no header/body separator");
        }
        String headerText = new String(body, pos, headerEnd - pos, StandardCharsets.ISO_8859_1);
        for (String line : headerText.split("\r\n")) {
          int colon = line.indexOf(':');
          if (colon <= 0) {
            throw malformed("invalid part header line");
          }
          headers.put(
              line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
              line.substring(colon + 1).trim());
        }
        contentStart = headerEnd + 4;
      }
      byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
      int contentEnd = indexOf(body, next, contentStart);
      if (contentEnd < 0) {
        throw malformed("a part is not terminated by the boundary");
      }
      parts.add(new Part(headers, Arrays.copyOfRange(body, contentStart, contentEnd)));
      if (parts.size() > 2) {
        throw malformed("more than two parts");
      }
      pos = contentEnd + next.length;
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
