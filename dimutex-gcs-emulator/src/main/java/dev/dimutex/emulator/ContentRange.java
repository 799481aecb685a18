package dev.dimutex.emulator;

import org.jspecify.annotations.Nullable;

/**
 * The {@code Content-Range} of a request to a resumable session.
 *
 * @param start the offset of the body's first byte, or -1 if the body carries no data range ({@code
 *     bytes *}/N) or there is no header
 * @param total the declared object size, or -1 while unknown ({@code /*})
 * @param first whether the request had no header at all: the whole object in one request
 */
record ContentRange(long start, long total, boolean first) {

  static ContentRange parse(@Nullable String header, byte[] chunk) {
    if (header == null) {
      return new ContentRange(-1, chunk.length, true);
    }
    String range = header.trim();
    if (!range.startsWith("bytes ")) {
      throw invalid(range);
    }
    String spec = range.substring(6).trim();
    int slash = spec.indexOf('/');
    if (slash < 0) {
      throw invalid(range);
    }
    String span = spec.substring(0, slash);
    String totalText = spec.substring(slash + 1);
    long total = totalText.equals("*") ? -1 : number(totalText, range);
    if (span.equals("*")) {
      if (chunk.length > 0) {
        throw GcsException.invalid("Content-Range 'bytes */N' must come with an empty body.");
      }
      return new ContentRange(-1, total, false);
    }
    int dash = span.indexOf('-');
    if (dash < 0) {
      throw invalid(range);
    }
    long start = number(span.substring(0, dash), range);
    // "bytes N-*/T": the body runs from N to the end of this request (Node's single-request
    // upload); with an unknown total it is also the last request.
    boolean openEnded = span.substring(dash + 1).equals("*");
    long end = openEnded ? start + chunk.length - 1 : number(span.substring(dash + 1), range);
    if (openEnded && total < 0) {
      total = start + chunk.length;
    }
    if ((!openEnded && end < start) || end - start + 1 != chunk.length) {
      throw GcsException.invalid(
          "Content-Range '" + range + "' does not match the body length " + chunk.length + ".");
    }
    return new ContentRange(start, total, false);
  }

  private static long number(String text, String range) {
    if (!Numbers.isDigits(text, false) || text.length() > 18) {
      throw invalid(range);
    }
    return Long.parseLong(text);
  }

  private static GcsException invalid(String range) {
    return GcsException.invalid(
        "Invalid Content-Range: '"
            + range
            + "' (expected 'bytes FIRST-LAST/TOTAL' or 'bytes */TOTAL', where LAST and TOTAL"
            + " may be '*').");
  }
}
