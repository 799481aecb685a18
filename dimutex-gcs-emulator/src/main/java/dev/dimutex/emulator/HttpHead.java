package dev.dimutex.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A request line and header section, parsed strictly (RFC 9112): {@code METHOD SP /target SP
 * HTTP/1.x}, then {@code name: value} lines, at most {@link #MAX_BYTES} in all. Malformed input
 * raises a GcsException (400, or 431 when too large), never an HTML page.
 */
record HttpHead(String method, String target, boolean http10, Map<String, String> headers) {
  static final int MAX_BYTES = 64 * 1024;
  private static final String TOKEN_CHARS = "!#$%&'*+-.^_`|~";

  /** The first value of a header, case-insensitive, or {@code null}. */
  @Nullable String header(String name) {
    return headers.get(name);
  }

  /**
   * Reads a head whose first byte was already read.
   *
   * @return the head, or {@code null} if the stream ended before the end of the head
   */
  static @Nullable HttpHead read(InputStream in, int firstByte) throws IOException {
    int[] budget = {MAX_BYTES};
    String requestLine = line(in, firstByte, budget);
    if (requestLine == null) {
      return null;
    }
    String[] parts = requestLine.split(" ", -1);
    if (parts.length != 3 || parts[0].isEmpty() || !isToken(parts[0])) {
      throw bad("Malformed HTTP request line.");
    }
    String version = parts[2];
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      throw bad("Unsupported HTTP version '" + version + "' (HTTP/1.1 and HTTP/1.0 are served).");
    }
    String target = parts[1];
    if (!target.startsWith("/")) {
      throw bad("The request target must be a path starting with '/'.");
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= 0x20 || c == 0x7f) {
        throw bad("The request target contains a control character.");
      }
    }
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      String line = line(in, b, budget);
      if (line == null) {
        return null;
      }
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !isToken(line.substring(0, colon))) {
        throw bad("Malformed HTTP header line.");
      }
      String name = line.substring(0, colon);
      String value = line.substring(colon + 1).strip();
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
          throw bad("The header " + name + " contains a control character.");
        }
      }
      String previous = headers.putIfAbsent(name, value);
      if (previous != null
          && name.toLowerCase(Locale.ROOT).equals("content-length")
          && !previous.equals(value)) {
        throw bad("Conflicting Content-Length headers.");
      }
    }
    return new HttpHead(parts[0], target, version.equals("HTTP/1.0"), headers);
  }

  /** One line without its CRLF (or bare LF), as ISO-8859-1; {@code null} at end of stream. */
  private static @Nullable String line(InputStream in, int first, int[] budget) throws IOException {
    StringBuilder sb = new StringBuilder(128);
    int b = first;
    while (true) {
      if (b < 0) {
        return null;
      }
      if (--budget[0] < 0) {
        throw new GcsException(
            431, "invalid", "The request line and headers exceed " + MAX_BYTES + " bytes.");
      }
      if (b == '\n') {
        int n = sb.length();
        if (n > 0 && sb.charAt(n - 1) == '\r') {
          sb.setLength(n - 1);
        }
        if (sb.length() > 0 && (sb.charAt(0) == ' ' || sb.charAt(0) == '\t')) {
          throw bad("Folded header lines are not accepted.");
        }
        return sb.toString();
      }
      sb.append((char) b);
      b = in.read();
    }
  }

  private static boolean isToken(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || TOKEN_CHARS.indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return !s.isEmpty();
  }

  private static GcsException bad(String message) {
    return GcsException.invalid(message);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
