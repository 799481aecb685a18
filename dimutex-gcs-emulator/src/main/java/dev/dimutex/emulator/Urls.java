package dev.dimutex.emulator;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Strict percent-encoding helpers: invalid escapes or invalid UTF-8 raise a 400. */
final class Urls {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Urls() {}

  /** Decodes a path segment ({@code +} stays {@code +}). */
  static String decodePath(String raw) {
    return decode(raw, false);
  }

  /** Decodes a query component ({@code +} means space). */
  static String decodeQuery(String raw) {
    return decode(raw, true);
  }

  private static String decode(String raw, boolean plusIsSpace) {
    boolean plain = !(plusIsSpace && raw.indexOf('+') >= 0);
    for (int i = 0; plain && i < raw.length(); i++) {
      plain = raw.charAt(i) != '%' && raw.charAt(i) < 0x80;
    }
    if (plain) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw GcsException.invalid("Invalid percent-encoding in the request URL.");
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw GcsException.invalid("Invalid percent-encoding in the request URL.");
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else if (c < 0x100) {
        // The JDK server reads the request line as ISO-8859-1: a char below 0x100 is one raw byte
        // (clients that send unencoded UTF-8 thus still round-trip).
        bytes.write(c);
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
      }
    }
    return utf8(bytes.toByteArray());
  }

  /** Decodes bytes as strict UTF-8. */
  static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw GcsException.invalid("The request contains invalid UTF-8.");
    }
  }

  /** Encodes everything but RFC 3986 unreserved characters. */
  static String encode(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 16);
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return sb.toString();
  }

  /** Parses a raw query string; the first occurrence of a name wins. */
  static Map<String, String> parseQuery(@Nullable String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decodeQuery(pair.substring(eq + 1));
      query.putIfAbsent(name, value);
    }
    return query;
  }
}
