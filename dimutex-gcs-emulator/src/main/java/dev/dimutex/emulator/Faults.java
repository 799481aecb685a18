package dev.dimutex.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Fault injection for one {@link GcsEmulator}. Thread-safe; every method takes effect for the next
 * request that arrives.
 *
 * <p>Rules are evaluated in the order they were added. Every matching {@link #delay delay} rule
 * adds its latency; the first matching failure or drop rule that fires decides the outcome (later
 * failure and drop rules are not consulted, so their counts are not used up). Requests to the admin
 * API ({@link Operation#ADMIN}) are never faulted. A failure answers with GCS's JSON error body and
 * does not apply the request; a drop applies the request and then closes the connection without
 * sending any response, so the client sees an I/O error although the change happened.
 *
 * <p>The {@link #objectMutationRateLimit per-object mutation rate limit} is checked when an object
 * mutation is applied, independently of the rules.
 */
public final class Faults {
  private final Object lock = new Object();
  private final List<Rule> rules = new ArrayList<>();
  private final Map<String, double[]> buckets = new HashMap<>();
  private final LongSupplier nanoTime;
  private Random random;
  private double mutationsPerSecond;

  Faults(LongSupplier nanoTime, long seed) {
    this.nanoTime = nanoTime;
    this.random = new Random(seed);
  }

  /**
   * Answers the next {@code count} matching requests with {@code status} and GCS's error body (429
   * {@code rateLimitExceeded}, 500 and 503 {@code backendError}, others a fitting reason), without
   * applying them.
   *
   * @param count how many requests to fail, at least 1
   * @param status an HTTP status from 400 to 599
   * @param matcher the requests to fail
   * @throws IllegalArgumentException if {@code count} or {@code status} is out of range
   */
  public void failNext(int count, int status, RequestMatcher matcher) {
    requirePositive(count);
    requireErrorStatus(status);
    add(new Rule(Kind.FAIL_NEXT, matcher, count, 1.0, new int[] {status}, 0, 0));
  }

  /**
   * Applies the next {@code count} matching requests, then closes their connections without any
   * HTTP response.
   *
   * @param count how many responses to drop, at least 1
   * @param matcher the requests whose responses to drop
   * @throws IllegalArgumentException if {@code count} is less than 1
   */
  public void dropResponseNext(int count, RequestMatcher matcher) {
    requirePositive(count);
    add(new Rule(Kind.DROP_NEXT, matcher, count, 1.0, new int[0], 0, 0));
  }

  /**
   * Fails each matching request with the given probability until {@link #clear()}.
   *
   * @param probability between 0 and 1
   * @param status an HTTP status from 400 to 599
   * @param matcher the requests to consider
   * @throws IllegalArgumentException if a value is out of range
   */
  public void failRate(double probability, int status, RequestMatcher matcher) {
    failRate(probability, new int[] {status}, matcher);
  }

  /** Like {@link #failRate(double, int, RequestMatcher)}, choosing uniformly among statuses. */
  void failRate(double probability, int[] statuses, RequestMatcher matcher) {
    requireProbability(probability);
    requireErrorStatuses(statuses);
    add(new Rule(Kind.FAIL_RATE, matcher, -1, probability, statuses.clone(), 0, 0));
  }

  /**
   * Applies each matching request and then drops its response, with the given probability, until
   * {@link #clear()}.
   *
   * @param probability between 0 and 1
   * @param matcher the requests to consider
   * @throws IllegalArgumentException if {@code probability} is out of range
   */
  public void dropRate(double probability, RequestMatcher matcher) {
    requireProbability(probability);
    add(new Rule(Kind.DROP_RATE, matcher, -1, probability, new int[0], 0, 0));
  }

  /**
   * Adds latency before each matching request is handled, until {@link #clear()}.
   *
   * @param latency the added latency, from 0 to 1 minute
   * @param matcher the requests to delay
   * @throws IllegalArgumentException if {@code latency} is negative or over 1 minute
   */
  public void delay(Duration latency, RequestMatcher matcher) {
    delay(latency, latency, matcher);
  }

  /** Adds a latency drawn uniformly from {@code [min, max]}. */
  void delay(Duration min, Duration max, RequestMatcher matcher) {
    requireLatency(min, max);
    add(new Rule(Kind.DELAY, matcher, -1, 1.0, new int[0], min.toNanos(), max.toNanos()));
  }

  /**
   * Limits object mutations (insert, patch, update, delete) to a rate per object name, as GCS does
   * (about one per second). Requests over the limit answer 429 {@code rateLimitExceeded} and are
   * not applied. The limit is a token bucket per object that refills at {@code
   * mutationsPerSecondPerObject} and holds at most {@code max(1, mutationsPerSecondPerObject)}
   * tokens. Every insert of the name, and every patch, update or delete of it while it exists,
   * takes a token whatever its outcome (a request that fails its precondition counts too). The
   * refill runs on {@link System#nanoTime()}, not on the emulator's injectable clock.
   *
   * @param mutationsPerSecondPerObject the rate; zero or negative turns the limit off
   */
  public void objectMutationRateLimit(double mutationsPerSecondPerObject) {
    synchronized (lock) {
      this.mutationsPerSecond =
          Double.isNaN(mutationsPerSecondPerObject) ? 0 : mutationsPerSecondPerObject;
      buckets.clear();
    }
  }

  /** Removes every rule and turns the per-object mutation rate limit off. */
  public void clear() {
    synchronized (lock) {
      rules.clear();
      buckets.clear();
      mutationsPerSecond = 0;
    }
  }

  void seed(long seed) {
    synchronized (lock) {
      random = new Random(seed);
    }
  }

  double mutationRateLimit() {
    synchronized (lock) {
      return mutationsPerSecond;
    }
  }

  private void add(Rule rule) {
    Objects.requireNonNull(rule.matcher, "matcher");
    synchronized (lock) {
      rules.add(rule);
    }
  }

  /** What the rules decided for one request. */
  record Decision(long delayNanos, int failStatus, boolean drop) {
    static final Decision NONE = new Decision(0, 0, false);
  }

  Decision decide(RequestInfo request) {
    if (request.operation() == Operation.ADMIN) {
      return Decision.NONE;
    }
    synchronized (lock) {
      if (rules.isEmpty()) {
        return Decision.NONE;
      }
      long delay = 0;
      int failStatus = 0;
      boolean drop = false;
      boolean decided = false;
      for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
        Rule rule = it.next();
        if (!rule.matcher.matches(request)) {
          continue;
        }
        switch (rule.kind) {
          case DELAY -> {
            long span = rule.maxNanos - rule.minNanos;
            delay += rule.minNanos + (span > 0 ? (long) (random.nextDouble() * (span + 1)) : 0L);
          }
          case FAIL_NEXT, DROP_NEXT -> {
            if (!decided) {
              decided = true;
              if (rule.kind == Kind.FAIL_NEXT) {
                failStatus = rule.statuses[0];
              } else {
                drop = true;
              }
              rule.remaining--;
              rule.fired++;
              if (rule.remaining <= 0) {
                it.remove();
              }
            }
          }
          case FAIL_RATE, DROP_RATE -> {
            if (!decided && random.nextDouble() < rule.probability) {
              decided = true;
              rule.fired++;
              if (rule.kind == Kind.FAIL_RATE) {
                failStatus = rule.statuses[random.nextInt(rule.statuses.length)];
              } else {
                drop = true;
              }
            }
          }
        }
      }
      return new Decision(delay, failStatus, drop);
    }
  }

  /** Takes a token for a mutation of one object; {@code false} means "answer 429". */
  boolean tryMutate(String bucket, String object) {
    synchronized (lock) {
      if (mutationsPerSecond <= 0) {
        return true;
      }
      long now = nanoTime.getAsLong();
      double capacity = Math.max(1.0, mutationsPerSecond);
      double[] state =
          buckets.computeIfAbsent(bucket + "/" + object, k -> new double[] {capacity, now});
      double elapsedSeconds = (now - (long) state[1]) / 1e9;
      state[0] = Math.min(capacity, state[0] + elapsedSeconds * mutationsPerSecond);
      state[1] = now;
      if (state[0] >= 1.0) {
        state[0] -= 1.0;
        return true;
      }
      return false;
    }
  }

  /** The rules as JSON-ready maps, for the admin API. */
  List<Map<String, @Nullable Object>> describe() {
    synchronized (lock) {
      List<Map<String, @Nullable Object>> out = new ArrayList<>();
      for (Rule rule : rules) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("type", rule.kind.jsonName);
        m.put("match", rule.matcher.toString());
        switch (rule.kind) {
          case FAIL_NEXT -> {
            m.put("remaining", (long) rule.remaining);
            m.put("status", (long) rule.statuses[0]);
          }
          case DROP_NEXT -> m.put("remaining", (long) rule.remaining);
          case FAIL_RATE -> {
            m.put("probability", rule.probability);
            List<Long> statuses = new ArrayList<>();
            for (int s : rule.statuses) {
              statuses.add((long) s);
            }
            m.put("statuses", statuses);
          }
          case DROP_RATE -> m.put("probability", rule.probability);
          case DELAY -> {
            m.put("minMillis", rule.minNanos / 1_000_000.0);
            m.put("maxMillis", rule.maxNanos / 1_000_000.0);
          }
        }
        m.put("fired", rule.fired);
        out.add(m);
      }
      return out;
    }
  }

  /** The longest injected latency: a delayed request holds a connection thread meanwhile. */
  static final Duration MAX_LATENCY = Duration.ofMinutes(1);

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

  private static final class Rule {
    final Kind kind;
    final RequestMatcher matcher;
    int remaining;
    final double probability;
    final int[] statuses;
    final long minNanos;
    final long maxNanos;
    long fired;

    Rule(
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
  }
}
