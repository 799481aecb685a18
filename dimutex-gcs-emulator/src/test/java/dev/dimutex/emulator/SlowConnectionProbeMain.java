package dev.dimutex.emulator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A manual probe, not part of the build: opens many loopback connections to an emulator process
 * that trickle their request headers one byte a second, and meanwhile samples that process's
 * threads and resident memory from /proc and times an ordinary request.
 *
 * <pre>
 * java -cp ... dev.dimutex.emulator.SlowConnectionProbeMain PORT PID CONNECTIONS SECONDS
 * </pre>
 *
 * Loopback only; at most 10 000 connections and 300 seconds.
 */
public final class SlowConnectionProbeMain {
  private SlowConnectionProbeMain() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    long pid = Long.parseLong(args[1]);
    int count = Math.min(Integer.parseInt(args[2]), 10_000);
    long seconds = Math.min(Long.parseLong(args[3]), 300);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<Socket> open = new ArrayList<>();
    int refused = 0;
    long maxThreads = 0;
    long maxRss = 0;
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      try {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.getOutputStream()
            .write("GET /storage/v1/b HTTP/1.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
        open.add(s);
      } catch (IOException e) {
        refused++;
      }
      if (i % 1000 == 999) {
        long[] m = sample(pid);
        maxThreads = Math.max(maxThreads, m[0]);
        maxRss = Math.max(maxRss, m[1]);
      }
    }
    System.out.printf(
        "opened %d connections (%d refused) in %.1f s%n",
        open.size(), refused, (System.nanoTime() - start) / 1e9);
    long end = start + Duration.ofSeconds(seconds).toNanos();
    int closedByServer = 0;
    while (System.nanoTime() < end) {
      for (int i = open.size() - 1; i >= 0; i--) {
        Socket s = open.get(i);
        try {
          s.getOutputStream().write('a');
        } catch (IOException e) {
          closedByServer++;
          s.close();
          open.remove(i);
        }
      }
      long[] m = sample(pid);
      maxThreads = Math.max(maxThreads, m[0]);
      maxRss = Math.max(maxRss, m[1]);
      long t0 = System.nanoTime();
      String status;
      try {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/storage/v1/b?project=p"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        status = Integer.toString(r.statusCode());
      } catch (IOException e) {
        status = "failed (" + e.getClass().getSimpleName() + ")";
      }
      System.out.printf(
          "t=%3.0f s: slow connections still open %d, closed by the server %d; emulator threads %d,"
              + " RSS %d MiB; an ordinary GET answered %s in %.0f ms%n",
          (System.nanoTime() - start) / 1e9,
          open.size(),
          closedByServer,
          m[0],
          m[1] / 1024,
          status,
          (System.nanoTime() - t0) / 1e6);
      Thread.sleep(1_000);
    }
    System.out.printf("max emulator threads %d, max RSS %d MiB%n", maxThreads, maxRss / 1024);
    for (Socket s : open) {
      s.close();
    }
  }

  /** {threads, VmRSS in KiB} of a process. */
  private static long[] sample(long pid) throws IOException {
    long threads = 0;
    long rss = 0;
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("Threads:")) {
        threads = Long.parseLong(line.substring(8).trim());
      } else if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.substring(6).replace("kB", "").trim());
      }
    }
    return new long[] {threads, rss};
  }
}
