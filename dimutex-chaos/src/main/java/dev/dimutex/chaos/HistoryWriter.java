package dev.dimutex.chaos;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends {@link HistoryEvent}s to a JSON-lines file, one write and flush per event, so that a
 * SIGKILL loses at most the event being written. Thread-safe.
 */
public final class HistoryWriter implements AutoCloseable {

  private final Gson gson = new Gson();
  private final OutputStream out;

  /**
   * Opens (appends to) a history file.
   *
   * @param file the file
   * @throws IOException if it cannot be opened
   */
  public HistoryWriter(Path file) throws IOException {
    this.out =
        Files.newOutputStream(
            file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
  }

  /**
   * Writes one event and flushes it to the operating system.
   *
   * @param event the event
   */
  public synchronized void write(HistoryEvent event) {
    try {
      out.write((gson.toJson(event) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
