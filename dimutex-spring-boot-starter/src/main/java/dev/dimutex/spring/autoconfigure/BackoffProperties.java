package dev.dimutex.spring.autoconfigure;

import java.time.Duration;

/**
 * Backoff of callers waiting for a held lock, and of retries after transient store errors:
 * exponential with jitter, capped, and never beyond the caller's wait.
 */
public class BackoffProperties {

  /** Creates backoff settings with the documented defaults. */
  public BackoffProperties() {}

  /** First delay between attempts. Must be positive. */
  private Duration min = Duration.ofMillis(50);

  /** Largest delay between attempts. Must not be shorter than the minimum. */
  private Duration max = Duration.ofSeconds(1);

  /** Factor by which the delay grows after each attempt. Must be at least 1. */
  private double multiplier = 2.0;

  /**
   * Fraction of each delay that is randomised away, so that waiters spread out; at least 0 and
   * below 1.
   */
  private double jitter = 0.5;

  /**
   * Returns the first delay.
   *
   * @return the first delay
   */
  public Duration getMin() {
    return min;
  }

  /**
   * Sets the first delay.
   *
   * @param min the first delay
   */
  public void setMin(Duration min) {
    this.min = min;
  }

  /**
   * Returns the largest delay.
   *
   * @return the largest delay
   */
  public Duration getMax() {
    return max;
  }

  /**
   * Sets the largest delay.
   *
   * @param max the largest delay
   */
  public void setMax(Duration max) {
    this.max = max;
  }

  /**
   * Returns the growth factor.
   *
   * @return the factor
   */
  public double getMultiplier() {
    return multiplier;
  }

  /**
   * Sets the growth factor.
   *
   * @param multiplier the factor
   */
  public void setMultiplier(double multiplier) {
    this.multiplier = multiplier;
  }

  /**
   * Returns the jitter fraction.
   *
   * @return the jitter
   */
  public double getJitter() {
    return jitter;
  }

  /**
   * Sets the jitter fraction.
   *
   * @param jitter the jitter
   */
  public void setJitter(double jitter) {
    this.jitter = jitter;
  }
}
