package dev.dimutex.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One worker JVM child, and what its standard output says about whether it holds the lock. */
final class WorkerProcess {

  /** What the worker last announced. */
  record State(boolean holding, long seq, long token) {}

  final String id;
  final int slot;
  final Duration clockOffset;
  final Path history;
  final long startNanos;
  private final Process process;
  private volatile State state = new State(false, 0, 0);
  private volatile long endNanos;
  private final Thread pump;

  private WorkerProcess(
      String id, int slot, Duration clockOffset, Path history, Process process, Path stdoutLog) {
    this.id = id;
    this.slot = slot;
    this.clockOffset = clockOffset;
    this.history = history;
    this.process = process;
    this.startNanos = System.nanoTime();
    this.pump = new Thread(() -> pump(stdoutLog), "worker-output-" + id);
    this.pump.setDaemon(true);
    this.pump.start();
  }

  static WorkerProcess start(
      String java,
      String classpath,
      String id,
      int slot,
      Duration clockOffset,
      Path dir,
      String emulatorUrl,
      String bucket,
      ChaosConfig config,
      long seed)
      throws IOException {
    Path history = dir.resolve(id + ".history.jsonl");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx128m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=" + config.workerLogLevel());
    cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add("dev.dimutex.chaos.Worker");
    cmd.addAll(
        List.of(
            "--id", id,
            "--emulator", emulatorUrl,
            "--bucket", bucket,
            "--history", history.toString(),
            "--ttl", config.ttl().toString(),
            "--refresh", config.refresh().toString(),
            "--backoff-min", config.backoffMin().toString(),
            "--backoff-max", config.backoffMax().toString(),
            "--clock-offset", clockOffset.toString(),
            "--seed", Long.toString(seed)));
    if (config.noLock()) {
      cmd.add("--no-lock");
    }
    Process p =
        new ProcessBuilder(cmd).redirectError(dir.resolve(id + ".stderr.log").toFile()).start();
    return new WorkerProcess(id, slot, clockOffset, history, p, dir.resolve(id + ".stdout.log"));
  }

  private void pump(Path stdoutLog) {
    try (BufferedReader r =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        var log =
            Files.newBufferedWriter(
                stdoutLog, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      String line;
      while ((line = r.readLine()) != null) {
        log.write(line);
        log.newLine();
        log.flush();
        String[] parts = line.split(" ");
        if (parts[0].equals("ENTER") && parts.length == 3) {
          state = new State(true, Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        } else if (parts[0].equals("EXIT") && parts.length == 2) {
          state = new State(false, Long.parseLong(parts[1]), state.token());
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process died; its history file is what counts
    }
  }

  State state() {
    return state;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int exitValue() {
    return process.exitValue();
  }

  long endNanos() {
    return endNanos == 0 ? System.nanoTime() : endNanos;
  }

  /**
   * SIGKILLs the process and waits until it is gone and its output has been read.
   *
   * @return the state it announced last, i.e. what it was doing when killed
   */
  State kill() throws InterruptedException {
    endNanos = System.nanoTime();
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    pump.join(5_000);
    return state;
  }

  void signal(String signal) throws IOException, InterruptedException {
    Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    if (!k.waitFor(5, TimeUnit.SECONDS) || k.exitValue() != 0) {
      throw new IOException("kill -" + signal + " " + process.pid() + " failed");
    }
  }

  /** SIGKILLs without waiting (for a shutdown hook). */
  void destroyNow() {
    process.destroyForcibly();
  }

  /** Asks the worker to stop after its current section (closes its stdin). */
  void requestStop() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // already gone
    }
  }

  /** Waits for a requested stop; SIGKILLs after the grace period. */
  boolean awaitStop(Duration grace) throws InterruptedException {
    boolean clean = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
    if (!clean) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (endNanos == 0) {
      endNanos = System.nanoTime();
    }
    pump.join(5_000);
    return clean && process.exitValue() == 0;
  }
}
