package dev.dimutex.benchmarks;

import java.time.Duration;

/**
 * How much work each scenario does. {@link #FULL} produces the published figures; {@link #QUICK}
 * gives the same figures with fewer samples in under a minute; {@link #TINY} only proves that the
 * harness runs end to end (used by the unit test; its figures mean little).
 */
record Profile(
    String name,
    int countOps,
    int cycleWarmup,
    int cycleSamples,
    Duration contentionWindow,
    Duration waiterWindow,
    int localHandovers,
    int crossHandovers,
    Duration crossHold,
    Duration crossBudget,
    int takeovers,
    Duration takeoverTtl,
    Duration takeoverRefresh,
    int scaleLocks,
    Duration scaleTtl,
    Duration scaleRefresh,
    double scaleIntervals,
    int distinctRounds,
    Duration distinctPhase,
    int latency30Locks,
    int latency60Locks,
    Duration latencyTtl,
    Duration latencyRefresh,
    double latencyIntervals,
    int latencyTries,
    Duration rawCpuWindow,
    Duration idleWindow) {

  /** The number of locks the full scale run holds, which is also the scale goal. */
  static final int FULL_SCALE_LOCKS = 10_000;

  /** The locks the full run keeps on schedule at +30 ms writes / +15 ms reads (issue 12). */
  static final int FULL_LATENCY30_LOCKS = 8_000;

  /** The locks the full run keeps on schedule at +60 ms writes / +30 ms reads (issue 12). */
  static final int FULL_LATENCY60_LOCKS = 4_000;

  static final Profile FULL =
      new Profile(
          "full",
          100,
          300,
          1500,
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          300,
          150,
          Duration.ofMillis(100),
          Duration.ofSeconds(180),
          3,
          Duration.ofSeconds(3),
          Duration.ofSeconds(1),
          FULL_SCALE_LOCKS,
          Duration.ofSeconds(60),
          Duration.ofSeconds(10),
          3.5,
          5,
          Duration.ofSeconds(3),
          FULL_LATENCY30_LOCKS,
          FULL_LATENCY60_LOCKS,
          Duration.ofSeconds(60),
          Duration.ofSeconds(10),
          4.0,
          3,
          Duration.ofSeconds(20),
          Duration.ofSeconds(20));

  static final Profile QUICK =
      new Profile(
          "quick",
          30,
          100,
          200,
          Duration.ofSeconds(2),
          Duration.ofSeconds(5),
          50,
          20,
          Duration.ofMillis(100),
          Duration.ofSeconds(15),
          1,
          Duration.ofSeconds(2),
          Duration.ofMillis(500),
          1000,
          Duration.ofSeconds(6),
          Duration.ofSeconds(1),
          3.0,
          3,
          Duration.ofMillis(1000),
          2000,
          1000,
          Duration.ofSeconds(30),
          Duration.ofSeconds(5),
          3.0,
          1,
          Duration.ofSeconds(4),
          Duration.ofSeconds(4));

  static final Profile TINY =
      new Profile(
          "tiny",
          5,
          20,
          30,
          Duration.ofMillis(400),
          Duration.ofMillis(600),
          5,
          3,
          Duration.ofMillis(20),
          Duration.ofSeconds(5),
          1,
          Duration.ofSeconds(1),
          Duration.ofMillis(300),
          50,
          Duration.ofSeconds(1),
          Duration.ofMillis(300),
          3.0,
          1,
          Duration.ofMillis(300),
          50,
          25,
          Duration.ofSeconds(3),
          Duration.ofMillis(500),
          2.0,
          1,
          Duration.ofMillis(500),
          Duration.ofMillis(600));

  boolean isFull() {
    return scaleLocks >= FULL_SCALE_LOCKS;
  }
}
