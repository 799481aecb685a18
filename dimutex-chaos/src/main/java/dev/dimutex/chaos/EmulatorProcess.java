package dev.dimutex.chaos;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standalone emulator as a child JVM ({@code dev.dimutex.emulator.Main --admin}), and a client
 * for its admin API ({@code /_emulator/...}).
 */
final class EmulatorProcess {

  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

  private final Process process;
  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();
  private long lastSequence;
  private long nanoOffset;

  private EmulatorProcess(Process process, String baseUrl) {
    this.process = process;
    this.baseUrl = baseUrl;
  }

  /** Starts the emulator and waits until it accepts requests. */
  static EmulatorProcess start(
      String java, String classpath, String bucket, long seed, Path logFile)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                // Without TCP_NODELAY, loopback requests wait for delayed ACKs (about 40 ms each).
                "-Dsun.net.httpserver.nodelay=true",
                "-cp",
                classpath,
                "dev.dimutex.emulator.Main",
                "--port",
                "0",
                "--seed",
                Long.toString(seed),
                "--bucket",
                bucket,
                "--admin")
            .redirectErrorStream(true)
            .start();
    CompletableFuture<String> url = new CompletableFuture<>();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  var log =
                      Files.newBufferedWriter(
                          logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                String line;
                while ((line = r.readLine()) != null) {
                  log.write(line);
                  log.newLine();
                  log.flush();
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    url.complete(m.group(1));
                  }
                }
              } catch (IOException e) {
                url.completeExceptionally(e);
              }
              url.completeExceptionally(
                  new IOException("emulator exited before listening; see " + logFile));
            },
            "emulator-output");
    pump.setDaemon(true);
    pump.start();
    String baseUrl;
    try {
      baseUrl = url.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IOException("emulator did not start; see " + logFile, e);
    }
    EmulatorProcess emulator = new EmulatorProcess(p, baseUrl);
    emulator.calibrate();
    return emulator;
  }

  String baseUrl() {
    return baseUrl;
  }

  long pid() {
    return process.pid();
  }

  /**
   * Measures the emulator's {@code System.nanoTime()} against ours. On Linux both read {@code
   * CLOCK_MONOTONIC}, so the offset is about zero; it is applied anyway so that the request log is
   * on the harness's time line even where that does not hold.
   */
  private void calibrate() throws IOException, InterruptedException {
    long best = Long.MAX_VALUE;
    long offset = 0;
    for (int i = 0; i < 5; i++) {
      long before = System.nanoTime();
      JsonObject time = get("/_emulator/time").getAsJsonObject();
      long after = System.nanoTime();
      if (after - before < best) {
        best = after - before;
        offset = time.get("nanoTime").getAsLong() - (before + (after - before) / 2);
      }
    }
    // Below the round trip, the difference is measurement noise: the clocks are the same.
    nanoOffset = Math.abs(offset) <= best ? 0 : offset;
  }

  /** The emulator's nanoTime minus ours (0 when they share CLOCK_MONOTONIC). */
  long nanoOffset() {
    return nanoOffset;
  }

  void addFault(String ruleJson) {
    send("POST", "/_emulator/faults", ruleJson);
  }

  void clearFaults() {
    send("DELETE", "/_emulator/faults", null);
  }

  JsonObject counters() throws IOException, InterruptedException {
    return get("/_emulator/counters").getAsJsonObject();
  }

  /** Reads the log entries added since the last call, with times shifted onto our time line. */
  List<LogEntry> newEntries() throws IOException, InterruptedException {
    List<LogEntry> out = new ArrayList<>();
    while (true) {
      JsonObject page =
          get("/_emulator/requests?after=" + lastSequence + "&limit=10000").getAsJsonObject();
      JsonArray entries = page.getAsJsonArray("entries");
      for (JsonElement e : entries) {
        JsonObject o = e.getAsJsonObject();
        JsonObject q = o.getAsJsonObject("query");
        String tag =
            q.has(ChaosStorage.TAG_PARAMETER)
                ? q.get(ChaosStorage.TAG_PARAMETER).getAsString()
                : null;
        String generationMatch =
            q.has("ifGenerationMatch") ? q.get("ifGenerationMatch").getAsString() : null;
        out.add(
            new LogEntry(
                o.get("sequence").getAsLong(),
                o.get("operation").getAsString(),
                o.get("object").isJsonNull() ? null : o.get("object").getAsString(),
                o.get("status").getAsInt(),
                o.get("startNanos").getAsLong() - nanoOffset,
                o.get("durationNanos").getAsLong(),
                o.get("faultInjected").getAsBoolean(),
                o.get("responseDropped").getAsBoolean(),
                tag,
                generationMatch));
      }
      lastSequence = Math.max(lastSequence, page.get("lastSequence").getAsLong());
      if (entries.size() < 10000) {
        return out;
      }
    }
  }

  /** One request from the emulator's log. */
  record LogEntry(
      long sequence,
      String operation,
      @org.jspecify.annotations.Nullable String object,
      int status,
      long startNanos,
      long durationNanos,
      boolean faultInjected,
      boolean responseDropped,
      @org.jspecify.annotations.Nullable String tag,
      @org.jspecify.annotations.Nullable String ifGenerationMatch) {}

  private JsonElement get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return JsonParser.parseString(r.body());
  }

  private void send(String method, String path, @org.jspecify.annotations.Nullable String json) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(baseUrl + path))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .method(
                      method,
                      json == null
                          ? HttpRequest.BodyPublishers.noBody()
                          : HttpRequest.BodyPublishers.ofString(json))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IOException(
            method + " " + path + " answered " + r.statusCode() + ": " + r.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** SIGKILLs without waiting (for a shutdown hook). */
  void destroyNow() {
    process.destroyForcibly();
  }

  /** Stops the emulator (SIGTERM, then SIGKILL after 10 s). */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
