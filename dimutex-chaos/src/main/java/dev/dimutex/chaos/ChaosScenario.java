package dev.dimutex.chaos;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * Runs one chaos scenario: a standalone emulator process, {@link ChaosConfig#workers()} worker
 * processes contending for one lock, and a fault schedule, then checks the history.
 */
public final class ChaosScenario {

  static final String BUCKET = "chaos";
  static final String COUNTER = "chaos/counter";
  static final String LOCK_OBJECT = "locks/counter";

  private final ChaosConfig config;
  private final SplittableRandom random;
  private final List<FaultEvent> faults = new CopyOnWriteArrayList<>();
  private final List<WorkerProcess> allWorkers = new CopyOnWriteArrayList<>();
  private final List<EmulatorProcess.LogEntry> log = new ArrayList<>();
  private final Map<Integer, Integer> incarnations = new HashMap<>();
  private final Map<String, Integer> eventCounts = new java.util.TreeMap<>();
  private final List<WorkerProcess> live = new ArrayList<>();
  private @Nullable EmulatorProcess emulator;

  /**
   * Creates a scenario.
   *
   * @param config the settings
   */
  public ChaosScenario(ChaosConfig config) {
    this.config = config;
    this.random = new SplittableRandom(config.seed());
  }

  /** What a run produced. */
  public record Outcome(
      ChaosConfig config,
      ChaosHistory history,
      CheckResult result,
      Map<FaultKind, Integer> faultCounts,
      JsonObject emulatorCounters,
      String report) {}

  /**
   * Runs the scenario and checks its history.
   *
   * @return the outcome, including the printed report
   * @throws IOException if a process cannot be started or a file cannot be written
   * @throws InterruptedException if interrupted
   */
  public Outcome run() throws IOException, InterruptedException {
    Files.createDirectories(config.outDir());
    clearOutputOfEarlierRuns();
    EmulatorProcess emu =
        EmulatorProcess.start(
            config.java(),
            config.classpath(),
            BUCKET,
            config.seed(),
            config.outDir().resolve("emulator.log"));
    this.emulator = emu;
    // On SIGTERM/SIGINT of the harness, take the children down too (on SIGKILL, workers stop by
    // themselves when their stdin closes; the emulator then needs killing by hand).
    Thread killChildren =
        new Thread(
            () -> {
              for (WorkerProcess w : allWorkers) {
                w.destroyNow();
              }
              emu.destroyNow();
            },
            "chaos-children-shutdown");
    Runtime.getRuntime().addShutdownHook(killChildren);
    Storage storage = ChaosStorage.create(emu.baseUrl(), "harness");
    try {
      storage.create(
          BlobInfo.newBuilder(BlobId.of(BUCKET, COUNTER))
              .setContentType("text/plain")
              .setMetadata(Map.of(ChaosStorage.COUNT, "0", ChaosStorage.WRITER, "initial"))
              .build(),
          "0".getBytes(StandardCharsets.UTF_8),
          Storage.BlobTargetOption.doesNotExist());
      long start = System.nanoTime();
      for (int slot = 1; slot <= config.workers(); slot++) {
        startWorker(slot);
      }
      long deadline = start + config.duration().toNanos();
      injectFaults(deadline);
      emu.clearFaults();
      long runEnd = System.nanoTime();
      List<String> unexpectedExits = new ArrayList<>();
      List<WorkerProcess> running = new ArrayList<>();
      for (WorkerProcess w : live) {
        if (w.isAlive()) {
          running.add(w);
        } else {
          unexpectedExits.add(
              w.id + " exited by itself during the run (status " + w.exitValue() + ")");
        }
      }
      for (WorkerProcess w : running) {
        w.requestStop();
      }
      for (WorkerProcess w : running) {
        if (!w.awaitStop(config.ttl().multipliedBy(3).plusSeconds(30))) {
          unexpectedExits.add(w.id + " did not stop cleanly when asked (see its stderr log)");
        }
      }
      log.addAll(emu.newEntries());
      Blob counter = storage.get(BlobId.of(BUCKET, COUNTER));
      long finalCount = Long.parseLong(counter.getMetadata().get(ChaosStorage.COUNT));
      String finalWriter = counter.getMetadata().get(ChaosStorage.WRITER);
      JsonObject counters = emu.counters();
      ChaosHistory history =
          new ChaosHistory(
              readSections(),
              finalCount,
              "initial".equals(finalWriter) ? null : finalWriter,
              lastConfirmedRefreshes(),
              faults,
              workerRequests(),
              log.stream().filter(e -> !e.operation().equals("ADMIN")).count(),
              runEnd,
              unexpectedExits);
      CheckLimits limits = CheckLimits.derive(config.ttl(), config.backoffMax());
      CheckResult result = HistoryChecker.check(history, limits);
      Map<FaultKind, Integer> counts = new EnumMap<>(FaultKind.class);
      for (FaultEvent f : faults) {
        counts.merge(f.kind(), 1, Integer::sum);
      }
      String report =
          ChaosReport.format(
              config, history, result, limits, counts, eventCounts, counters, emu.nanoOffset());
      Files.writeString(config.outDir().resolve("report.txt"), report);
      Gson gson = new Gson();
      Files.writeString(config.outDir().resolve("faults.json"), gson.toJson(faults));
      try (var out = Files.newBufferedWriter(config.outDir().resolve("requests.jsonl"))) {
        for (EmulatorProcess.LogEntry e : log) {
          out.write(gson.toJson(e));
          out.newLine();
        }
      }
      return new Outcome(config, history, result, counts, counters, report);
    } finally {
      for (WorkerProcess w : allWorkers) {
        if (w.isAlive()) {
          w.kill();
        }
      }
      try {
        storage.close();
      } catch (Exception e) {
        // only the client's threads; nothing to report
      }
      emu.stop();
      Runtime.getRuntime().removeShutdownHook(killChildren);
    }
  }

  /** Histories are appended to, so a previous run's files in the same directory must go. */
  private void clearOutputOfEarlierRuns() throws IOException {
    try (var files = Files.list(config.outDir())) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String n = f.getFileName().toString();
        if (Files.isRegularFile(f)
            && (n.endsWith(".jsonl")
                || n.endsWith(".log")
                || n.equals("report.txt")
                || n.equals("faults.json")
                || n.equals("requests.jsonl"))) {
          Files.delete(f);
        }
      }
    }
  }

  private WorkerProcess startWorker(int slot) throws IOException {
    int incarnation = incarnations.merge(slot, 1, Integer::sum) - 1;
    String id = "w" + slot + "." + incarnation;
    Duration offset =
        slot == 1 && config.workers() >= 3
            ? Duration.ofMinutes(10)
            : slot == 2 && config.workers() >= 3 ? Duration.ofMinutes(-10) : Duration.ZERO;
    WorkerProcess w =
        WorkerProcess.start(
            config.java(),
            config.classpath(),
            id,
            slot,
            offset,
            config.outDir(),
            emulator().baseUrl(),
            BUCKET,
            config,
            random.nextLong());
    if (!offset.isZero()) {
      faults.add(
          new FaultEvent(
              FaultKind.CLOCK_OFFSET,
              w.startNanos,
              0,
              id,
              null,
              "registry clock offset " + offset));
    }
    live.add(w);
    allWorkers.add(w);
    return w;
  }

  private EmulatorProcess emulator() {
    if (emulator == null) {
      throw new IllegalStateException("emulator not started");
    }
    return emulator;
  }

  /**
   * Cycles through the fault kinds until the deadline; if some kind has not been injected by then
   * (a slow machine), goes on for at most 30 s more until every kind has been.
   */
  private void injectFaults(long deadline) throws IOException, InterruptedException {
    FaultKind[] cycle = {
      FaultKind.ERROR_RATE,
      FaultKind.CRASH,
      FaultKind.LATENCY,
      FaultKind.FREEZE,
      FaultKind.DROP_RATE,
      FaultKind.RATE_LIMIT
    };
    long hardDeadline = deadline + Duration.ofSeconds(30).toNanos();
    sleepUntil(Math.min(deadline, System.nanoTime() + Duration.ofSeconds(3).toNanos()));
    int i = 0;
    while (System.nanoTime() < hardDeadline
        && (System.nanoTime() < deadline || !everyKindInjected(cycle))) {
      FaultKind kind = cycle[i++ % cycle.length];
      if (System.nanoTime() >= deadline && injected(kind)) {
        continue;
      }
      long end = Math.max(deadline, System.nanoTime() + config.faultPhase().toNanos());
      switch (kind) {
        case ERROR_RATE ->
            emulatorFault(
                kind,
                "{\"type\":\"failRate\",\"probability\":0.15,\"statuses\":[429,500,503]}",
                "15% of requests answered 429/500/503",
                end);
        case LATENCY ->
            emulatorFault(
                kind,
                "{\"type\":\"delay\",\"minMillis\":20,\"maxMillis\":300}",
                "20-300 ms added to every request",
                end);
        case DROP_RATE ->
            emulatorFault(
                kind,
                "{\"type\":\"dropRate\",\"probability\":0.1}",
                "10% of requests applied, then the connection closed without a response",
                end);
        case RATE_LIMIT ->
            emulatorFault(
                kind,
                "{\"type\":\"objectMutationRateLimit\",\"perSecond\":2.0}",
                "2 mutations per second per object, then 429",
                end);
        case CRASH -> crashHolder(hardDeadline);
        case FREEZE -> freezeHolder(hardDeadline);
        default -> throw new IllegalStateException(kind.name());
      }
      sleepUntil(Math.min(deadline, System.nanoTime() + config.faultGap().toNanos()));
      log.addAll(emulator().newEntries());
    }
  }

  private boolean injected(FaultKind kind) {
    return faults.stream().anyMatch(f -> f.kind() == kind);
  }

  private boolean everyKindInjected(FaultKind[] kinds) {
    for (FaultKind k : kinds) {
      if (!injected(k)) {
        return false;
      }
    }
    return true;
  }

  private void emulatorFault(FaultKind kind, String rule, String detail, long deadline)
      throws InterruptedException {
    long at = System.nanoTime();
    emulator().addFault(rule);
    sleepUntil(Math.min(deadline, at + config.faultPhase().toNanos()));
    emulator().clearFaults();
    faults.add(new FaultEvent(kind, at, System.nanoTime() - at, null, null, detail));
  }

  /**
   * Waits for a worker to announce a section, lets a random part of it run, and returns the worker
   * if it is still inside that section.
   */
  private @Nullable WorkerProcess awaitHolder(long deadline) throws InterruptedException {
    while (System.nanoTime() < deadline) {
      for (WorkerProcess w : live) {
        WorkerProcess.State s = w.state();
        if (w.isAlive() && s.holding()) {
          Thread.sleep(random.nextLong(0, 120));
          WorkerProcess.State now = w.state();
          if (now.holding() && now.seq() == s.seq()) {
            return w;
          }
        }
      }
      Thread.sleep(10);
    }
    return null;
  }

  private void crashHolder(long deadline) throws IOException, InterruptedException {
    WorkerProcess victim =
        awaitHolder(Math.min(deadline, System.nanoTime() + Duration.ofSeconds(10).toNanos()));
    if (victim == null) {
      return;
    }
    long at = System.nanoTime();
    WorkerProcess.State state = victim.kill();
    faults.add(
        new FaultEvent(
            FaultKind.CRASH,
            at,
            0,
            victim.id,
            state.holding() ? state.token() : null,
            state.holding()
                ? "SIGKILL inside section " + state.seq()
                : "SIGKILL just after the section ended"));
    live.remove(victim);
    Thread.sleep(300);
    startWorker(victim.slot);
  }

  private void freezeHolder(long deadline) throws IOException, InterruptedException {
    WorkerProcess victim =
        awaitHolder(Math.min(deadline, System.nanoTime() + Duration.ofSeconds(10).toNanos()));
    if (victim == null) {
      return;
    }
    long at = System.nanoTime();
    victim.signal("STOP");
    WorkerProcess.State state = victim.state();
    long frozenFor = config.ttl().plusMillis(1500).toNanos();
    sleepUntil(at + frozenFor);
    victim.signal("CONT");
    faults.add(
        new FaultEvent(
            FaultKind.FREEZE,
            at,
            System.nanoTime() - at,
            victim.id,
            state.holding() ? state.token() : null,
            "SIGSTOP for " + Duration.ofNanos(frozenFor).toMillis() + " ms, then SIGCONT"));
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }

  private List<Section> readSections() throws IOException {
    Map<Long, Long> appliedAt = counterWritesApplied();
    Gson gson = new Gson();
    List<Section> out = new ArrayList<>();
    for (WorkerProcess w : allWorkers) {
      if (!Files.exists(w.history)) {
        continue;
      }
      Map<Long, HistoryEvent> enters = new LinkedHashMap<>();
      Map<Long, HistoryEvent> exits = new HashMap<>();
      Map<Long, HistoryEvent> reads = new HashMap<>();
      for (String line : Files.readAllLines(w.history)) {
        if (line.isBlank()) {
          continue;
        }
        HistoryEvent e;
        try {
          e = gson.fromJson(line, HistoryEvent.class);
        } catch (RuntimeException ex) {
          continue; // a line torn by SIGKILL
        }
        eventCounts.merge(e.type(), 1, Integer::sum);
        if (HistoryEvent.ENTER.equals(e.type())) {
          enters.put(e.seq(), e);
        } else if (HistoryEvent.EXIT.equals(e.type())) {
          exits.put(e.seq(), e);
        } else if (HistoryEvent.READ.equals(e.type())) {
          reads.put(e.seq(), e);
        }
      }
      for (HistoryEvent enter : enters.values()) {
        HistoryEvent exit = exits.get(enter.seq());
        String nonce = enter.nonce() == null ? w.id + "-" + enter.seq() : enter.nonce();
        if (exit != null) {
          long exitNanos = exit.t();
          if (exit.outcome() == WriteOutcome.ACCEPTED && exit.readGeneration() != null) {
            // The section's effect ended when its write was applied; the rest (response, release,
            // bookkeeping) touches nothing. A freeze right after the write must not count as an
            // overlap.
            exitNanos =
                Math.min(exitNanos, appliedAt.getOrDefault(exit.readGeneration(), exitNanos));
          }
          out.add(
              new Section(
                  w.id,
                  enter.seq(),
                  enter.token(),
                  enter.t(),
                  exitNanos,
                  true,
                  nonce,
                  exit.readCount() == null ? -1 : exit.readCount(),
                  exit.readWriter(),
                  Boolean.TRUE.equals(exit.healthyBeforeWrite()),
                  exit.healthCheckedAt() == null ? exit.t() : exit.healthCheckedAt(),
                  exit.outcome() == null ? WriteOutcome.UNKNOWN : exit.outcome()));
        } else {
          // Killed inside the section (or never stopped): it ended when the process ended. What it
          // read survives if it got that far.
          HistoryEvent read = reads.get(enter.seq());
          out.add(
              new Section(
                  w.id,
                  enter.seq(),
                  enter.token(),
                  enter.t(),
                  w.endNanos(),
                  false,
                  nonce,
                  read == null || read.readCount() == null ? -1 : read.readCount(),
                  read == null ? null : read.readWriter(),
                  true,
                  w.endNanos(),
                  WriteOutcome.UNKNOWN));
        }
      }
    }
    return out;
  }

  /**
   * Per generation precondition, when the emulator finished the counter write it applied (there is
   * at most one: the precondition admits one write per generation).
   */
  private Map<Long, Long> counterWritesApplied() {
    Map<Long, Long> out = new HashMap<>();
    for (EmulatorProcess.LogEntry e : log) {
      if (e.operation().equals("OBJECT_INSERT")
          && COUNTER.equals(e.object())
          && e.status() / 100 == 2
          && e.ifGenerationMatch() != null) {
        try {
          out.put(Long.parseLong(e.ifGenerationMatch()), e.startNanos() + e.durationNanos());
        } catch (NumberFormatException ex) {
          // not a number: not one of ours
        }
      }
    }
    return out;
  }

  /**
   * Per fencing token, the arrival at the emulator of the last refresh it applied to the lock
   * object: an upper bound of the holder's send time, which its lease deadline counts from.
   */
  private Map<Long, Long> lastConfirmedRefreshes() {
    Map<Long, Long> out = new HashMap<>();
    for (EmulatorProcess.LogEntry e : log) {
      boolean refresh =
          e.operation().equals("OBJECT_PATCH") || e.operation().equals("OBJECT_UPDATE");
      if (refresh
          && LOCK_OBJECT.equals(e.object())
          && e.status() / 100 == 2
          && e.ifGenerationMatch() != null) {
        long token;
        try {
          token = Long.parseLong(e.ifGenerationMatch());
        } catch (NumberFormatException ex) {
          continue;
        }
        out.merge(token, e.startNanos(), Math::max);
      }
    }
    return out;
  }

  private List<WorkerRequests> workerRequests() {
    Map<String, List<Long>> times = new HashMap<>();
    for (EmulatorProcess.LogEntry e : log) {
      if (e.tag() != null && !e.operation().equals("ADMIN")) {
        times.computeIfAbsent(e.tag(), k -> new ArrayList<>()).add(e.startNanos());
      }
    }
    long window = CheckLimits.derive(config.ttl(), config.backoffMax()).rateWindowNanos();
    List<WorkerRequests> out = new ArrayList<>();
    for (WorkerProcess w : allWorkers) {
      List<Long> t = new ArrayList<>(times.getOrDefault(w.id, List.of()));
      t.sort(null);
      long peak = 0;
      int lo = 0;
      for (int hi = 0; hi < t.size(); hi++) {
        while (t.get(hi) - t.get(lo) >= window) {
          lo++;
        }
        peak = Math.max(peak, hi - lo + 1);
      }
      out.add(new WorkerRequests(w.id, t.size(), w.endNanos() - w.startNanos, peak));
    }
    return out;
  }
}
