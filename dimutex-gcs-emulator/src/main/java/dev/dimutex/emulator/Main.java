package dev.dimutex.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link GcsEmulator} as a standalone process: {@code java -jar dimutex-gcs-emulator.jar
 * --port 4443 --bucket my-bucket}. Prints {@code GCS emulator listening on http://HOST:PORT} once
 * it accepts requests and stops cleanly on SIGTERM or SIGINT. {@code --help} lists every flag.
 */
public final class Main {
  /** The text of {@code --help}, from the resource {@code usage.txt} next to this class. */
  static final String USAGE = readUsage();

  private Main() {}

  /**
   * Starts the emulator and blocks until the process is stopped.
   *
   * @param args command-line flags, see {@code --help}
   * @throws InterruptedException if the main thread is interrupted while serving
   */
  public static void main(String[] args) throws InterruptedException {
    CommandLineOptions options;
    try {
      options = CommandLineOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println("Run with --help for the list of flags.");
      System.exit(2);
      return;
    }
    if (options.help) {
      System.out.print(USAGE);
      return;
    }
    GcsEmulator emulator;
    try {
      emulator = start(options);
    } catch (RuntimeException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  emulator.close();
                  System.out.println("GCS emulator stopped");
                  System.out.flush();
                  stopped.countDown();
                  // A signal-triggered exit would report 143; stopping is the expected outcome.
                  Runtime.getRuntime().halt(0);
                },
                "gcs-emulator-shutdown"));
    announce(emulator, System.out);
    stopped.await();
  }

  private static String readUsage() {
    try (InputStream in = Main.class.getResourceAsStream("usage.txt")) {
      if (in == null) {
        throw new IllegalStateException("usage.txt is missing next to " + Main.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read usage.txt", e);
    }
  }

  static void announce(GcsEmulator emulator, PrintStream out) {
    out.println("GCS emulator listening on " + emulator.baseUrl());
    out.flush();
  }

  static GcsEmulator start(CommandLineOptions options) {
    GcsEmulator.Builder builder =
        GcsEmulator.builder()
            .host(options.host)
            .port(options.port)
            .projectId(options.project)
            .adminApi(options.admin)
            .logCapacity(options.logCapacity);
    if (options.seed != null) {
      builder.seed(options.seed);
    }
    builder
        .maxConnections(options.maxConnections)
        .readTimeout(Duration.ofMillis(options.readTimeoutMs))
        .idleTimeout(Duration.ofMillis(options.idleTimeoutMs))
        .maxObjectSize(options.maxObjectSize)
        .maxResumableBuffer(options.maxResumableBuffer)
        .resumableSessionTimeout(Duration.ofSeconds(options.resumableTimeoutS));
    options.buckets.forEach(builder::bucket);
    GcsEmulator emulator = builder.start();
    try {
      applyFaults(emulator.faults(), options);
    } catch (RuntimeException e) {
      emulator.close();
      throw e;
    }
    return emulator;
  }

  static void applyFaults(Faults faults, CommandLineOptions o) {
    RequestMatcher matcher =
        o.faultOperations.isEmpty()
            ? RequestMatcher.any()
            : RequestMatcher.operation(o.faultOperations.toArray(new Operation[0]));
    if (o.latencyMs > 0 || o.latencyJitterMs > 0) {
      faults.delay(
          Duration.ofMillis(o.latencyMs),
          Duration.ofMillis(o.latencyMs + o.latencyJitterMs),
          matcher);
    }
    if (o.failRate > 0) {
      faults.failRate(o.failRate, o.failStatuses, matcher);
    }
    if (o.dropRate > 0) {
      faults.dropRate(o.dropRate, matcher);
    }
    if (o.mutationRateLimit > 0) {
      faults.objectMutationRateLimit(o.mutationRateLimit);
    }
  }
}
