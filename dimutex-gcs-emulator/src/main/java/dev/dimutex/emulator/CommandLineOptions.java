package dev.dimutex.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The parsed command-line flags of {@link Main}, with their defaults; {@link #parse} checks each
 * value's range and names the flag in its message. {@code usage.txt} documents them.
 */
final class CommandLineOptions {
  boolean help;
  int port;
  String host = EmulatorOptions.DEFAULT_HOST;
  final List<String> buckets = new ArrayList<>();
  String project = EmulatorOptions.DEFAULT_PROJECT_ID;
  boolean admin;
  int logCapacity = EmulatorOptions.DEFAULT_LOG_CAPACITY;
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

  private static final Set<String> VALUE_FLAGS =
      Set.of(
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

  static CommandLineOptions parse(String[] args) {
    CommandLineOptions o = new CommandLineOptions();
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
      case "--max-resumable-buffer" -> maxResumableBuffer = integer(flag, value, 1, Long.MAX_VALUE);
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
