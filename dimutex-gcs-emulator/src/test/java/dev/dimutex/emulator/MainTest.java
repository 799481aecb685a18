package dev.dimutex.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The standalone entry point: flags, the announcement line, and a real process stopped by SIGTERM.
 */
class MainTest {

  @Nested
  class Flags {
    @Test
    void everyFlagIsParsed() {
      CommandLineOptions o =
          CommandLineOptions.parse(
              new String[] {
                "--port",
                "0",
                "--host=127.0.0.1",
                "--bucket",
                "a-bucket",
                "--bucket",
                "b-bucket",
                "--admin",
                "--project",
                "p",
                "--fail-rate",
                "0.1",
                "--fail-statuses",
                "429,503",
                "--drop-rate",
                "0.05",
                "--latency-ms",
                "3",
                "--latency-jitter-ms",
                "2",
                "--mutation-rate-limit",
                "1",
                "--fault-operations",
                "OBJECT_INSERT,object_patch",
                "--seed",
                "7",
                "--log-capacity",
                "10"
              });

      assertThat(o.buckets).containsExactly("a-bucket", "b-bucket");
      assertThat(o.admin).isTrue();
      assertThat(o.failRate).isEqualTo(0.1);
      assertThat(o.failStatuses).containsExactly(429, 503);
      assertThat(o.dropRate).isEqualTo(0.05);
      assertThat(o.latencyMs).isEqualTo(3);
      assertThat(o.latencyJitterMs).isEqualTo(2);
      assertThat(o.mutationRateLimit).isEqualTo(1.0);
      assertThat(o.faultOperations)
          .containsExactly(Operation.OBJECT_INSERT, Operation.OBJECT_PATCH);
      assertThat(o.seed).isEqualTo(7L);
      assertThat(o.logCapacity).isEqualTo(10);
    }

    @Test
    void badFlagsAreRejectedWithAMessageNamingTheFlag() {
      assertThatThrownBy(() -> CommandLineOptions.parse(new String[] {"--port", "70000"}))
          .hasMessageContaining("--port");
      assertThatThrownBy(() -> CommandLineOptions.parse(new String[] {"--fail-rate", "2"}))
          .hasMessageContaining("--fail-rate");
      assertThatThrownBy(() -> CommandLineOptions.parse(new String[] {"--fail-statuses", "200"}))
          .hasMessageContaining("--fail-statuses");
      assertThatThrownBy(() -> CommandLineOptions.parse(new String[] {"--bucket", "Bad!"}))
          .hasMessageContaining("Invalid bucket name");
      assertThatThrownBy(
              () -> CommandLineOptions.parse(new String[] {"--fault-operations", "ADMIN"}))
          .hasMessageContaining("--fault-operations");
      assertThatThrownBy(() -> CommandLineOptions.parse(new String[] {"--frobnicate"}))
          .hasMessage("unknown flag --frobnicate");
      assertThatThrownBy(() -> CommandLineOptions.parse(new String[] {"--port"}))
          .hasMessageContaining("needs a value");
    }

    @Test
    void theHelpDocumentsEveryFlagAndAdminEndpoint() {
      for (String flag :
          List.of(
              "--port",
              "--host",
              "--bucket",
              "--project",
              "--admin",
              "--log-capacity",
              "--seed",
              "--help",
              "--fail-rate",
              "--fail-statuses",
              "--drop-rate",
              "--latency-ms",
              "--latency-jitter-ms",
              "--mutation-rate-limit",
              "--fault-operations",
              "/_emulator/faults",
              "/_emulator/requests",
              "/_emulator/counters",
              "/_emulator/time")) {
        assertThat(Main.USAGE).contains(flag);
      }
    }
  }

  @Test
  void anInProcessEmulatorAnnouncesItsAddressAndAppliesFaultFlags() {
    CommandLineOptions options =
        CommandLineOptions.parse(
            new String[] {
              "--bucket", "main-bucket", "--fail-rate", "1", "--fault-operations", "OBJECT_LIST"
            });
    GcsEmulator emulator = Main.start(options);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Main.announce(emulator, new PrintStream(out, true, StandardCharsets.UTF_8));
      RawHttp http = new RawHttp(emulator.baseUrl());

      assertThat(out.toString(StandardCharsets.UTF_8))
          .isEqualTo(
              "GCS emulator listening on http://127.0.0.1:"
                  + emulator.port()
                  + System.lineSeparator());
      assertThat(http.get("/storage/v1/b/main-bucket").status()).isEqualTo(200);
      assertThat(http.get("/storage/v1/b/main-bucket/o").status()).isBetween(429, 503);
    } finally {
      emulator.close();
    }
  }

  @Test
  @Tag("C-EMU-12")
  void aStandaloneProcessPrintsTheLineServesAndExitsCleanlyOnSigterm() throws Exception {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process process =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.dimutex.emulator.Main",
                "--port",
                "0",
                "--bucket",
                "proc-bucket",
                "--admin")
            .redirectErrorStream(true)
            .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = reader.readLine(); l != null; l = reader.readLine()) {
                  lines.add(l);
                }
              } catch (java.io.IOException e) {
                lines.add("<stream closed>");
              }
            });
    pump.setDaemon(true);
    pump.start();
    try {
      String line = lines.poll(30, TimeUnit.SECONDS);

      assertThat(line).matches("GCS emulator listening on http://127\\.0\\.0\\.1:\\d+");
      String url = line.substring("GCS emulator listening on ".length());
      RawHttp http = new RawHttp(url);
      assertThat(http.get("/storage/v1/b/proc-bucket").status()).isEqualTo(200);
      assertThat(http.get("/_emulator/counters").status()).isEqualTo(200);

      new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isZero();
      pump.join(5_000);
      assertThat(lines).contains("GCS emulator stopped");
    } finally {
      process.destroyForcibly();
    }
  }
}
