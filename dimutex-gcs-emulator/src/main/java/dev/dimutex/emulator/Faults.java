package dev.dimutex.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
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
  private final List<FaultRule> rules = new ArrayList<>();
  private final MutationRateLimit mutationLimit;
  private Random random;

  Faults(LongSupplier nanoTime, long seed) {
    this.mutationLimit = new MutationRateLimit(nanoTime);
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
    FaultRule.requirePositive(count);
    FaultRule.requireErrorStatus(status);
    add(new FaultRule(FaultRule.Kind.FAIL_NEXT, matcher, count, 1.0, new int[] {status}, 0, 0));
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
    FaultRule.requirePositive(count);
    add(new FaultRule(FaultRule.Kind.DROP_NEXT, matcher, count, 1.0, new int[0], 0, 0));
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
    FaultRule.requireProbability(probability);
    FaultRule.requireErrorStatuses(statuses);
    add(new FaultRule(FaultRule.Kind.FAIL_RATE, matcher, -1, probability, statuses.clone(), 0, 0));
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
    FaultRule.requireProbability(probability);
    add(new FaultRule(FaultRule.Kind.DROP_RATE, matcher, -1, probability, new int[0], 0, 0));
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
    FaultRule.requireLatency(min, max);
    add(
        new FaultRule(
            FaultRule.Kind.DELAY, matcher, -1, 1.0, new int[0], min.toNanos(), max.toNanos()));
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
      mutationLimit.set(mutationsPerSecondPerObject);
    }
  }

  /** Removes every rule and turns the per-object mutation rate limit off. */
  public void clear() {
    synchronized (lock) {
      rules.clear();
      mutationLimit.set(0);
    }
  }

  void seed(long seed) {
    synchronized (lock) {
      random = new Random(seed);
    }
  }

  double mutationRateLimit() {
    synchronized (lock) {
      return mutationLimit.rate();
    }
  }

  private void add(FaultRule rule) {
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
      for (Iterator<FaultRule> it = rules.iterator(); it.hasNext(); ) {
        FaultRule rule = it.next();
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
              if (rule.kind == FaultRule.Kind.FAIL_NEXT) {
                failStatus = rule.statuses[0];
              } else {
                drop = true;
              }
              if (rule.fire()) {
                it.remove();
              }
            }
          }
          case FAIL_RATE, DROP_RATE -> {
            if (!decided && random.nextDouble() < rule.probability) {
              decided = true;
              rule.fire();
              if (rule.kind == FaultRule.Kind.FAIL_RATE) {
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
      return mutationLimit.tryTake(bucket, object);
    }
  }

  /** The rules as JSON-ready maps, for the admin API. */
  List<Map<String, @Nullable Object>> describe() {
    synchronized (lock) {
      List<Map<String, @Nullable Object>> out = new ArrayList<>();
      for (FaultRule rule : rules) {
        out.add(rule.describe());
      }
      return out;
    }
  }
}
