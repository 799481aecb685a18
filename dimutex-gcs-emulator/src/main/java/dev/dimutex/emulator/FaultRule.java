package dev.dimutex.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One rule of {@link Faults}: which requests it matches, what it does to them, and how often it has
 * fired. The range checks of its values live here, for {@link Faults}' methods and the admin API's
 * {@link FaultRules} alike. Not thread-safe: {@link Faults} guards every rule with its lock.
 */
final class FaultRule {
  /** The longest injected latency: a delayed request holds a connection thread meanwhile. */
  static final Duration MAX_LATENCY = Duration.ofMinutes(1);

  /** What a rule does, with its name in the admin API's JSON. */
  enum Kind {
    FAIL_NEXT("failNext"),
    DROP_NEXT("dropResponseNext"),
    FAIL_RATE("failRate"),
    DROP_RATE("dropRate"),
    DELAY("delay");

    final String jsonName;

    Kind(String jsonName) {
      this.jsonName = jsonName;
    }
  }

  final Kind kind;
  final RequestMatcher matcher;

  /** Requests a FAIL_NEXT or DROP_NEXT rule still fires for; -1 for the other kinds. */
  private int remaining;

  final double probability;
  final int[] statuses;
  final long minNanos;
  final long maxNanos;
  private long fired;

  FaultRule(
      Kind kind,
      RequestMatcher matcher,
      int remaining,
      double probability,
      int[] statuses,
      long minNanos,
      long maxNanos) {
    this.kind = kind;
    this.matcher = matcher;
    this.remaining = remaining;
    this.probability = probability;
    this.statuses = statuses;
    this.minNanos = minNanos;
    this.maxNanos = maxNanos;
  }

  /**
   * Counts one firing of this rule (a failure, drop or rate decision it made; delays do not fire).
   *
   * @return whether a FAIL_NEXT or DROP_NEXT rule is now used up and must be removed
   */
  boolean fire() {
    fired++;
    if (kind != Kind.FAIL_NEXT && kind != Kind.DROP_NEXT) {
      return false;
    }
    remaining--;
    return remaining <= 0;
  }

  /** This rule as a JSON-ready map, for the admin API. */
  Map<String, @Nullable Object> describe() {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("type", kind.jsonName);
    m.put("match", matcher.toString());
    switch (kind) {
      case FAIL_NEXT -> {
        m.put("remaining", (long) remaining);
        m.put("status", (long) statuses[0]);
      }
      case DROP_NEXT -> m.put("remaining", (long) remaining);
      case FAIL_RATE -> {
        m.put("probability", probability);
        List<Long> list = new ArrayList<>();
        for (int s : statuses) {
          list.add((long) s);
        }
        m.put("statuses", list);
      }
      case DROP_RATE -> m.put("probability", probability);
      case DELAY -> {
        m.put("minMillis", minNanos / 1_000_000.0);
        m.put("maxMillis", maxNanos / 1_000_000.0);
      }
    }
    m.put("fired", fired);
    return m;
  }

  static void requireLatency(Duration min, Duration max) {
    if (min.isNegative() || max.compareTo(min) < 0 || max.compareTo(MAX_LATENCY) > 0) {
      throw new IllegalArgumentException(
          "latency must be in [0, "
              + MAX_LATENCY.toMillis()
              + " ms] and max >= min, got min="
              + min
              + " max="
              + max);
    }
  }

  static void requireErrorStatuses(int[] statuses) {
    if (statuses.length == 0) {
      throw new IllegalArgumentException("failRate needs at least one status");
    }
    for (int status : statuses) {
      requireErrorStatus(status);
    }
  }

  static void requirePositive(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, got " + count);
    }
  }

  static void requireErrorStatus(int status) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be in 400..599, got " + status);
    }
  }

  static void requireProbability(double p) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new IllegalArgumentException("probability must be in [0, 1], got " + p);
    }
  }
}
