package dev.dimutex.emulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Decodes a {@code Transfer-Encoding: chunked} request body, strictly and with a size cap. */
final class Chunked {
  private Chunked() {}

  static byte[] read(InputStream in, int maxBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      String line = line(in);
      int semi = line.indexOf(';');
      String hex = (semi < 0 ? line : line.substring(0, semi)).strip();
      if (hex.isEmpty() || hex.length() > 8) {
        throw invalid();
      }
      long size = 0;
      for (int i = 0; i < hex.length(); i++) {
        int d = Character.digit(hex.charAt(i), 16);
        if (d < 0 || hex.charAt(i) > 'f') {
          throw invalid();
        }
        size = size * 16 + d;
      }
      if (size == 0) {
        while (!line(in).isEmpty()) {
          // trailer fields are ignored
        }
        return out.toByteArray();
      }
      if (out.size() + size > maxBytes) {
        throw HttpConnection.bodyTooLarge();
      }
      byte[] data = in.readNBytes((int) size);
      if (data.length < size) {
        throw new IOException("the client closed the connection mid-chunk");
      }
      out.writeBytes(data);
      if (!line(in).isEmpty()) {
        throw invalid();
      }
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the client closed the connection mid-body");
      }
      if (b == '\n') {
        int n = sb.length();
        return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
      }
      if (sb.length() > 4096) {
        throw invalid();
      }
      sb.append((char) b);
    }
  }

  private static GcsException invalid() {
    return GcsException.invalid("Malformed chunked request body.");
  }
}
