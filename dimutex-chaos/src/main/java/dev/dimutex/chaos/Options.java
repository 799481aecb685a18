package dev.dimutex.chaos;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A tiny {@code --name value} command-line parser shared by the harness and the worker. */
final class Options {

  private final Map<String, String> values = new HashMap<>();

  private Options() {}

  static Options parse(String[] args) {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException(
            "unexpected argument '" + a + "'; options are --name value");
      }
      String name = a.substring(2);
      int eq = name.indexOf('=');
      if (eq >= 0) {
        o.values.put(name.substring(0, eq), name.substring(eq + 1));
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        o.values.put(name, args[++i]);
      } else {
        o.values.put(name, "true");
      }
    }
    return o;
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  String required(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing option --" + name);
    }
    return v;
  }

  long number(String name, long fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be an integer, got '" + v + "'", e);
    }
  }

  /**
   * Accepts ISO-8601 ({@code PT4S}) or a number with a unit: {@code 500ms}, {@code 4s}, {@code
   * 20m}.
   */
  Duration duration(String name, Duration fallback) {
    String v = values.get(name);
    return v == null ? fallback : parseDuration(name, v);
  }

  static Duration parseDuration(String name, String v) {
    String s = v.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (s.startsWith("pt") || s.startsWith("-pt")) {
        return Duration.parse(s.toUpperCase(java.util.Locale.ROOT));
      }
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      long n = Long.parseLong(s.substring(0, s.length() - 1));
      switch (s.charAt(s.length() - 1)) {
        case 's':
          return Duration.ofSeconds(n);
        case 'm':
          return Duration.ofMinutes(n);
        case 'h':
          return Duration.ofHours(n);
        default:
          break;
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "--" + name + " must be a duration such as 500ms, 4s, 20m or PT4S, got '" + v + "'", e);
    }
    throw new IllegalArgumentException(
        "--" + name + " must be a duration such as 500ms, 4s, 20m or PT4S, got '" + v + "'");
  }
}
