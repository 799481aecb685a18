package dev.dimutex.emulator;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The per-object mutation rate limit of {@link Faults}: a token bucket per object name that refills
 * at the rate and holds at most {@code max(1, rate)} tokens. Not thread-safe: {@link Faults} calls
 * it under its lock.
 */
final class MutationRateLimit {
  /** Per "bucket/object": {tokens, nanoTime of the last refill}. */
  private final Map<String, double[]> buckets = new HashMap<>();

  private final LongSupplier nanoTime;
  private double mutationsPerSecond;

  MutationRateLimit(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** Sets the rate (zero or negative: off) and refills every object. */
  void set(double mutationsPerSecondPerObject) {
    this.mutationsPerSecond =
        Double.isNaN(mutationsPerSecondPerObject) ? 0 : mutationsPerSecondPerObject;
    buckets.clear();
  }

  double rate() {
    return mutationsPerSecond;
  }

  /** Takes a token for a mutation of one object; {@code false} means "answer 429". */
  boolean tryTake(String bucket, String object) {
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
