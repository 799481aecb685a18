package dev.dimutex.chaos;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one chaos run.
 *
 * @param duration how long the workers run (faults are injected throughout)
 * @param workers how many worker processes run at a time
 * @param ttl the lease TTL of every worker
 * @param refresh the refresh interval
 * @param backoffMin the waiters' first backoff
 * @param backoffMax the waiters' backoff cap
 * @param faultPhase how long each emulator fault (error rate, latency, drops, rate limit) lasts
 * @param faultGap the quiet time between two faults
 * @param seed seeds every random choice of the harness and the workers
 * @param outDir where histories, logs and the report go
 * @param java the java binary for child processes
 * @param classpath the classpath of child processes (must contain the emulator, the core and this
 *     module)
 * @param workerLogLevel the SLF4J simple logger level in workers
 * @param noLock sabotage: workers skip the lock (to show that the checker catches it)
 */
public record ChaosConfig(
    Duration duration,
    int workers,
    Duration ttl,
    Duration refresh,
    Duration backoffMin,
    Duration backoffMax,
    Duration faultPhase,
    Duration faultGap,
    long seed,
    Path outDir,
    String java,
    String classpath,
    String workerLogLevel,
    boolean noLock) {

  /**
   * Validates the settings.
   *
   * @param duration see the record description
   * @param workers see the record description
   * @param ttl see the record description
   * @param refresh see the record description
   * @param backoffMin see the record description
   * @param backoffMax see the record description
   * @param faultPhase see the record description
   * @param faultGap see the record description
   * @param seed see the record description
   * @param outDir see the record description
   * @param java see the record description
   * @param classpath see the record description
   * @param workerLogLevel see the record description
   * @param noLock see the record description
   * @throws IllegalArgumentException if a value is out of range
   */
  public ChaosConfig {
    if (workers < 2) {
      throw new IllegalArgumentException("workers must be >= 2, got " + workers);
    }
    if (duration.compareTo(Duration.ofSeconds(10)) < 0) {
      throw new IllegalArgumentException("duration must be >= 10s, got " + duration);
    }
  }

  /**
   * The defaults of the short run: 3 workers for 40 s, TTL 4 s, refresh 500 ms, backoff 50 ms to 1
   * s, 4-second faults 1.5 s apart.
   *
   * @param outDir where to write
   * @return the settings
   */
  public static ChaosConfig shortRun(Path outDir) {
    return new ChaosConfig(
        Duration.ofSeconds(40),
        3,
        Duration.ofSeconds(4),
        Duration.ofMillis(500),
        Duration.ofMillis(50),
        Duration.ofSeconds(1),
        Duration.ofSeconds(4),
        Duration.ofMillis(1500),
        42,
        outDir,
        currentJava(),
        currentClasspath(),
        "warn",
        false);
  }

  /**
   * The java binary running this JVM.
   *
   * @return its path
   */
  public static String currentJava() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * This JVM's classpath; under Surefire, the real test classpath rather than its booter jar.
   *
   * @return the classpath
   */
  public static String currentClasspath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }
}
