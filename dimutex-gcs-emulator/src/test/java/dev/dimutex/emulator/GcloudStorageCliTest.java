package dev.dimutex.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the {@code gcloud storage} CLI against the standalone emulator (a separate process), with
 * a throwaway gcloud configuration: credentials disabled, the storage endpoint overridden. Skipped
 * where gcloud is not installed.
 */
class GcloudStorageCliTest {
  private static final String A = "gcloud-a";
  private static final String B = "gcloud-b";

  @TempDir Path dir;

  private record Run(int exit, String output) {}

  private static Path gcloud() {
    for (String p : String.valueOf(System.getenv("PATH")).split(File.pathSeparator)) {
      Path candidate = Path.of(p, "gcloud");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return Path.of("/usr/bin/gcloud");
  }

  @Test
  void gcloudStorageCopiesListsMovesAndRemovesWithPreconditions() throws Exception {
    Path gcloud = gcloud();
    assumeTrue(Files.isExecutable(gcloud), "the gcloud CLI is not installed on this machine");
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process emulator =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.dimutex.emulator.Main",
                "--bucket",
                A,
                "--bucket",
                B,
                "--admin")
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(emulator.getInputStream(), StandardCharsets.UTF_8));
      String line = reader.readLine();
      assertThat(line).startsWith("GCS emulator listening on ");
      String url = line.substring("GCS emulator listening on ".length());
      Path config = configure(url);
      Path small = Files.writeString(dir.resolve("small.txt"), "hello\n");
      byte[] largeData = new byte[10_000_000]; // above gcloud's resumable threshold
      new Random(15).nextBytes(largeData);
      Path large = Files.write(dir.resolve("large.bin"), largeData);

      assertThat(run(gcloud, config, "cp", small.toString(), "gs://" + A + "/dir/small.txt").exit())
          .isZero();
      assertThat(run(gcloud, config, "cp", large.toString(), "gs://" + A + "/dir/large.bin").exit())
          .isZero();
      assertThat(run(gcloud, config, "cat", "gs://" + A + "/dir/small.txt").output())
          .isEqualTo("hello\n");
      assertThat(run(gcloud, config, "ls", "gs://" + A + "/dir/").output())
          .contains("gs://" + A + "/dir/large.bin", "gs://" + A + "/dir/small.txt");
      assertThat(
              run(gcloud, config, "cp", "gs://" + A + "/dir/large.bin", "gs://" + B + "/copy.bin")
                  .exit())
          .isZero();
      assertThat(
              run(gcloud, config, "mv", "gs://" + A + "/dir/small.txt", "gs://" + A + "/moved.txt")
                  .exit())
          .isZero();
      Run conflict =
          run(
              gcloud,
              config,
              "cp",
              "--if-generation-match=0",
              small.toString(),
              "gs://" + A + "/moved.txt");
      Run staleCopy =
          run(
              gcloud,
              config,
              "cp",
              "--if-generation-match=1",
              "gs://" + B + "/copy.bin",
              "gs://" + A + "/moved.txt");
      assertThat(run(gcloud, config, "rm", "-r", "gs://" + A + "/dir").exit()).isZero();
      String listing = run(gcloud, config, "ls", "gs://" + A + "/**").output();

      assertThat(conflict.exit()).isNotZero();
      assertThat(conflict.output()).contains("412");
      assertThat(staleCopy.exit()).isNotZero();
      assertThat(staleCopy.output()).contains("412");
      assertThat(listing.strip()).isEqualTo("gs://" + A + "/moved.txt");
      RawHttp http = new RawHttp(url);
      assertThat(http.get("/storage/v1/b/" + B + "/o/copy.bin").json())
          .containsEntry("size", Integer.toString(largeData.length))
          .containsEntry("md5Hash", ObjectOps.md5(largeData));
      assertThat(http.get("/storage/v1/b/" + A + "/o/moved.txt?alt=media").body())
          .isEqualTo("hello\n");
      @SuppressWarnings("unchecked")
      Map<String, Object> byOperation =
          (Map<String, Object>) http.get("/_emulator/counters").json().get("byOperation");
      assertThat(byOperation)
          .containsKeys("RESUMABLE_START", "OBJECT_REWRITE", "BUCKET_STORAGE_LAYOUT");
    } finally {
      emulator.destroy();
      emulator.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** A throwaway gcloud configuration directory pointing at the emulator. */
  private Path configure(String url) throws IOException {
    Path config = Files.createDirectories(dir.resolve("gcloud-config"));
    Files.createDirectories(config.resolve("configurations"));
    Files.writeString(config.resolve("active_config"), "default");
    Files.writeString(config.resolve("gce"), "False");
    Files.writeString(
        config.resolve("configurations").resolve("config_default"),
        "[auth]\ndisable_credentials = true\n\n"
            + "[api_endpoint_overrides]\nstorage = "
            + url
            + "/\n\n[core]\nproject = test-project\ndisable_usage_reporting = true\n"
            + "disable_prompts = true\n");
    return config;
  }

  private Run run(Path gcloud, Path config, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(gcloud.toString(), "storage"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("CLOUDSDK_CONFIG", config.toString());
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("gcloud %s finished", command).isTrue();
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
