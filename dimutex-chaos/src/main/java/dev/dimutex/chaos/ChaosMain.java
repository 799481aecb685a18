package dev.dimutex.chaos;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Command line of the chaos harness.
 *
 * <pre>
 * java -jar dimutex-chaos/target/dimutex-chaos.jar [--duration 20m] [--workers 3] [--ttl 4s]
 *     [--refresh 500ms] [--backoff-min 50ms] [--backoff-max 1s] [--fault-phase 4s] [--fault-gap 1500ms]
 *     [--seed 42] [--out DIR] [--worker-log-level warn] [--no-lock]
 * </pre>
 *
 * <p>Exit status: 0 if the history check passed, 1 on any violation, 2 if the run itself failed.
 */
public final class ChaosMain {

  private ChaosMain() {}

  /**
   * Runs a scenario and prints its report.
   *
   * @param args the options above
   */
  public static void main(String[] args) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(
          "Usage: java -jar dimutex-chaos.jar [--duration 40s] [--workers 3] [--ttl 4s]"
              + " [--refresh 500ms] [--backoff-min 50ms] [--backoff-max 1s] [--fault-phase 4s]"
              + " [--fault-gap 1500ms] [--seed 42] [--out DIR] [--worker-log-level warn]"
              + " [--no-lock]\n"
              + "Starts a standalone GCS emulator process and worker JVM processes that increment a"
              + " counter under one dimutex lock,\ninjects emulator faults, SIGKILLs and SIGSTOPs"
              + " holders and offsets clocks, then checks the history.\n--no-lock makes the"
              + " workers skip the lock, to show that the checker catches it.\nExit status 0: no"
              + " violation; 1: violations; 2: the run failed.");
      return;
    }
    try {
      Options o = Options.parse(args);
      ChaosConfig d = ChaosConfig.shortRun(Path.of("."));
      Path out =
          Path.of(
              o.string(
                  "out",
                  "target/chaos-"
                      + LocalDateTime.now()
                          .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
      ChaosConfig config =
          new ChaosConfig(
              o.duration("duration", d.duration()),
              (int) o.number("workers", d.workers()),
              o.duration("ttl", d.ttl()),
              o.duration("refresh", d.refresh()),
              o.duration("backoff-min", d.backoffMin()),
              o.duration("backoff-max", d.backoffMax()),
              o.duration("fault-phase", d.faultPhase()),
              o.duration("fault-gap", d.faultGap()),
              o.number("seed", d.seed()),
              out,
              d.java(),
              d.classpath(),
              o.string("worker-log-level", d.workerLogLevel()),
              o.has("no-lock"));
      System.out.println(
          "chaos run for "
              + config.duration().toSeconds()
              + " s with "
              + config.workers()
              + " workers; output in "
              + out.toAbsolutePath());
      ChaosScenario.Outcome outcome = new ChaosScenario(config).run();
      System.out.print(outcome.report());
      System.exit(outcome.result().passed() ? 0 : 1);
    } catch (IllegalArgumentException e) {
      System.err.println("chaos: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println("chaos run failed: " + e);
      e.printStackTrace();
      System.exit(2);
    }
  }
}
