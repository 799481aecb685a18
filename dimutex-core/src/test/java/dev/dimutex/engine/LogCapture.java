package dev.dimutex.engine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Captures what slf4j-simple (the core tests' SLF4J binding) prints. It writes each event as one
 * line {@code [thread] LEVEL logger - message} to whatever {@code System.err} is at the time of the
 * call, so replacing {@code System.err} for the length of a test captures the log. Tests run one at
 * a time in this module.
 */
final class LogCapture implements AutoCloseable {

  private final PrintStream original = System.err;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  LogCapture() {
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
  }

  /** Every captured line that is a log event of the given level. */
  synchronized List<String> lines(String level) {
    return Arrays.stream(bytes.toString(StandardCharsets.UTF_8).split("\n"))
        .filter(l -> l.contains("] " + level + " "))
        .toList();
  }

  @Override
  public void close() {
    System.err.flush();
    System.setErr(original);
    original.print(bytes.toString(StandardCharsets.UTF_8));
  }
}
