package dev.dimutex.emulator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link GcsEmulator} as a standalone process: {@code java -jar dimutex-gcs-emulator.jar
 * --port 4443 --bucket my-bucket}. Prints {@code GCS emulator listening on http://HOST:PORT} once
 * it accepts requests and stops cleanly on SIGTERM or SIGINT. {@code --help} lists every flag.
 */
public final class Main {
  static final String USAGE =
      """
      Usage: java -jar dimutex-gcs-emulator.jar [options]

      An in-JVM Google Cloud Storage JSON-API server with exact precondition semantics.
      Prints "GCS emulator listening on http://HOST:PORT" once it accepts requests;
      SIGTERM or SIGINT stops it (exit status 0).

      Options:
        --port <port>            port to listen on; 0 picks a free one (default 0)
        --host <host>            address to bind (default 127.0.0.1)
        --bucket <name>          pre-create a bucket; repeatable
        --project <id>           project the emulator stands for (default test-project;
                                 bucket insert/list accept any project parameter)
        --admin                  serve the admin API under /_emulator/ (off by default)
        --log-capacity <n>       request-log entries kept in memory (default 100000,
                                 about 0.7 KB of heap each)
        --seed <n>               seed of the fault randomness (default: time based)
        --max-connections <n>    connections open at once (default 256); beyond it the
                                 one idle longest (or slowest to send its headers) is
                                 closed, or the new one answered 503
        --read-timeout-ms <n>    longest time for a request's line and headers, for its
                                 body, and for taking a response (default 30000)
        --idle-timeout-ms <n>    longest wait for the next request on a keep-alive
                                 connection (default 60000)
        --max-object-size <n>    largest object a resumable upload may create, in
                                 bytes (default 268435456 = 256 MiB; 413 beyond)
        --max-resumable-buffer <n>
                                 bytes all unfinished resumable uploads may hold
                                 together (default 536870912 = 512 MiB; 503 beyond)
        --resumable-timeout-s <n>
                                 a resumable session idle this long is forgotten
                                 (default 600)
        --help                   print this help and exit

      Faults (off unless given; they apply to every non-admin request unless
      --fault-operations narrows them):
        --fail-rate <p>          answer a fraction p (0..1) of requests with an error,
                                 without applying them
        --fail-statuses <list>   statuses for --fail-rate, chosen uniformly
                                 (default 429,500,503; any of 400..599)
        --drop-rate <p>          apply a fraction p of requests, then close the
                                 connection without any response
        --latency-ms <n>         add n milliseconds before handling each request
                                 (latency + jitter at most 60000)
        --latency-jitter-ms <n>  add a further uniform 0..n milliseconds
        --mutation-rate-limit <r>
                                 per-object mutations (insert, patch, update, delete)
                                 per second; over it answers 429 rateLimitExceeded.
                                 GCS sustains about 1. 0 = off (default)
        --fault-operations <list>
                                 comma-separated operations the fault flags apply to:
                                 BUCKET_INSERT, BUCKET_GET, BUCKET_LIST, BUCKET_DELETE,
                                 OBJECT_INSERT, RESUMABLE_START, OBJECT_GET,
                                 OBJECT_DOWNLOAD, OBJECT_PATCH, OBJECT_UPDATE,
                                 OBJECT_DELETE, OBJECT_LIST, OTHER

      Admin API (with --admin; JSON in and out, numbers as JSON numbers; POSTs need
      Content-Type: application/json):
        GET    /_emulator/faults     {"rules":[RULE...],"objectMutationRateLimit":N}
        POST   /_emulator/faults     add RULE, or {"rules":[RULE...]}, and/or
                                     {"objectMutationRateLimit":N}; answers like GET
        DELETE /_emulator/faults     remove all rules and the rate limit (204)
        GET    /_emulator/requests?after=SEQ&limit=N
                                     {"entries":[ENTRY...],"lastSequence":SEQ}
        DELETE /_emulator/requests   clear the request log and counters (204)
        GET    /_emulator/counters   {"total":N,"faultsInjected":N,"responsesDropped":N,
                                      "lastSequence":SEQ,"retained":N,
                                      "byOperation":{"OBJECT_INSERT":N,...},
                                      "byStatus":{"200":N,...}}
        GET    /_emulator/storage    {"buckets":[{"name":"b","objects":N,"bytes":N},...]}
        GET    /_emulator/time       {"nanoTime":N,"time":"RFC 3339"}
      RULE is one of
        {"type":"failNext","count":3,"status":503,"match":MATCH}
        {"type":"failRate","probability":0.05,"statuses":[429,500,503],"match":MATCH}
        {"type":"dropResponseNext","count":1,"match":MATCH}
        {"type":"dropRate","probability":0.01,"match":MATCH}
        {"type":"delay","millis":20,"match":MATCH}
        {"type":"delay","minMillis":5,"maxMillis":50,"match":MATCH}
        {"type":"objectMutationRateLimit","perSecond":1.0}
      MATCH (optional, fields ANDed): {"operations":["OBJECT_INSERT",...],
        "objectMutations":true,"methods":["PATCH"],"bucket":"b","object":"name",
        "objectPrefix":"locks/"}
      ENTRY: {"sequence":N,"method":"POST","path":"/upload/storage/v1/b/b/o",
        "query":{...},"operation":"OBJECT_INSERT","bucket":"b","object":"name",
        "status":200,"startNanos":N,"durationNanos":N,"faultInjected":false,
        "responseDropped":false}   (startNanos: the emulator's System.nanoTime())
      """;

  private Main() {}

  /**
   * Starts the emulator and blocks until the process is stopped.
   *
   * @param args command-line flags, see {@code --help}
   * @throws InterruptedException if the main thread is interrupted while serving
   */
  public static void main(String[] args) throws InterruptedException {
    Options options;
    try {
      options = Options.parse(args);
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

  static void announce(GcsEmulator emulator, PrintStream out) {
    out.println("GCS emulator listening on " + emulator.baseUrl());
    out.flush();
  }

  static GcsEmulator start(Options options) {
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

  static void applyFaults(Faults faults, Options o) {
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

  /** Parsed command-line flags. */
  static final class Options {
    boolean help;
    int port;
    String host = "127.0.0.1";
    final List<String> buckets = new ArrayList<>();
    String project = "test-project";
    boolean admin;
    int logCapacity = 100_000;
    @Nullable Long seed;
    int maxConnections = HttpTransport.Settings.DEFAULT.maxConnections();
    long readTimeoutMs = HttpTransport.Settings.DEFAULT.readTimeout().toMillis();
    long idleTimeoutMs = HttpTransport.Settings.DEFAULT.idleTimeout().toMillis();
    long maxObjectSize = ResumableUploads.Limits.DEFAULT.maxObjectBytes();
    long maxResumableBuffer = ResumableUploads.Limits.DEFAULT.maxTotalBytes();
    long resumableTimeoutS = ResumableUploads.Limits.DEFAULT.idleTimeout().toSeconds();
    double failRate;
    int[] failStatuses = {429, 500, 503};
    double dropRate;
    long latencyMs;
    long latencyJitterMs;
    double mutationRateLimit;
    final List<Operation> faultOperations = new ArrayList<>();

    private static final java.util.Set<String> VALUE_FLAGS =
        java.util.Set.of(
            "--port",
            "--host",
            "--bucket",
            "--project",
            "--log-capacity",
            "--seed",
            "--max-connections",
            "--read-timeout-ms",
            "--idle-timeout-ms",
            "--max-object-size",
            "--max-resumable-buffer",
            "--resumable-timeout-s",
            "--fail-rate",
            "--fail-statuses",
            "--drop-rate",
            "--latency-ms",
            "--latency-jitter-ms",
            "--mutation-rate-limit",
            "--fault-operations");

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String value = null;
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0) {
          value = arg.substring(eq + 1);
          arg = arg.substring(0, eq);
        }
        switch (arg) {
          case "--help", "-h" -> o.help = true;
          case "--admin" -> o.admin = true;
          default -> {
            if (!VALUE_FLAGS.contains(arg)) {
              throw new IllegalArgumentException("unknown flag " + arg);
            }
            if (value == null) {
              if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + " needs a value");
              }
              value = args[++i];
            }
            o.set(arg, value);
          }
        }
      }
      return o;
    }

    private void set(String flag, String value) {
      switch (flag) {
        case "--port" -> port = (int) integer(flag, value, 0, 65535);
        case "--host" -> host = value;
        case "--bucket" -> {
          Bucket.checkNameArgument(value);
          buckets.add(value);
        }
        case "--project" -> project = value;
        case "--log-capacity" -> logCapacity = (int) integer(flag, value, 1, Integer.MAX_VALUE);
        case "--seed" -> seed = integer(flag, value, Long.MIN_VALUE, Long.MAX_VALUE);
        case "--max-connections" -> maxConnections = (int) integer(flag, value, 1, 1_000_000);
        case "--read-timeout-ms" -> readTimeoutMs = integer(flag, value, 1, 86_400_000);
        case "--idle-timeout-ms" -> idleTimeoutMs = integer(flag, value, 1, 86_400_000);
        case "--max-object-size" -> maxObjectSize = integer(flag, value, 1, Integer.MAX_VALUE - 8);
        case "--max-resumable-buffer" ->
            maxResumableBuffer = integer(flag, value, 1, Long.MAX_VALUE);
        case "--resumable-timeout-s" -> resumableTimeoutS = integer(flag, value, 1, 31_536_000);
        case "--fail-rate" -> failRate = probability(flag, value);
        case "--fail-statuses" -> {
          String[] parts = value.split(",");
          failStatuses = new int[parts.length];
          for (int i = 0; i < parts.length; i++) {
            failStatuses[i] = (int) integer(flag, parts[i].trim(), 400, 599);
          }
        }
        case "--drop-rate" -> dropRate = probability(flag, value);
        case "--latency-ms" -> latencyMs = integer(flag, value, 0, 60_000);
        case "--latency-jitter-ms" -> latencyJitterMs = integer(flag, value, 0, 60_000);
        case "--mutation-rate-limit" -> {
          mutationRateLimit = decimal(flag, value);
          if (mutationRateLimit < 0) {
            throw new IllegalArgumentException(flag + " must be >= 0, got " + value);
          }
        }
        case "--fault-operations" -> {
          for (String op : value.split(",")) {
            try {
              Operation operation = Operation.valueOf(op.trim().toUpperCase(Locale.ROOT));
              if (operation == Operation.ADMIN) {
                throw new IllegalArgumentException("admin requests are never faulted");
              }
              faultOperations.add(operation);
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException(
                  flag + ": unknown or unsupported operation '" + op + "'", e);
            }
          }
        }
        default -> throw new IllegalArgumentException("unknown flag " + flag);
      }
    }

    private static long integer(String flag, String value, long min, long max) {
      String t = value.trim();
      boolean negative = t.startsWith("-");
      String digits = negative ? t.substring(1) : t;
      long v;
      try {
        if (!Numbers.isDigits(digits, false)) {
          throw new NumberFormatException();
        }
        v = Long.parseLong(t);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " needs an integer, got '" + value + "'", e);
      }
      if (v < min || v > max) {
        throw new IllegalArgumentException(
            flag + " must be in " + min + ".." + max + ", got " + value);
      }
      return v;
    }

    private static double decimal(String flag, String value) {
      try {
        double d = Double.parseDouble(value.trim());
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw new NumberFormatException();
        }
        return d;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " needs a number, got '" + value + "'", e);
      }
    }

    private static double probability(String flag, String value) {
      double p = decimal(flag, value);
      if (p < 0 || p > 1) {
        throw new IllegalArgumentException(flag + " must be in [0, 1], got " + value);
      }
      return p;
    }
  }
}
