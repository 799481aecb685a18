package dev.dimutex.chaos;

import org.jspecify.annotations.Nullable;

/**
 * One line of a worker's history file (JSON lines). Times are {@code System.nanoTime()} of the
 * host: on Linux the JVM reads {@code CLOCK_MONOTONIC}, which every process on the host shares, so
 * the harness, the workers and the emulator's request log are on one monotonic time line.
 *
 * @param type {@code enter}, {@code read}, {@code exit}, {@code lost}, {@code timeout} or {@code
 *     error}
 * @param worker the worker process id
 * @param seq the section number within this worker
 * @param token the lease's fencing token (0 if none)
 * @param t when, on the shared monotonic clock
 * @param nonce the section's write nonce
 * @param readCount the counter value read
 * @param readGeneration the counter object's generation read
 * @param readWriter the nonce stored with the value read
 * @param healthyBeforeWrite what {@code Lease.isHealthy()} said just before the write
 * @param healthCheckedAt when that check ran, on the shared monotonic clock
 * @param outcome what became of the write
 * @param detail free text (release result, error message)
 */
public record HistoryEvent(
    String type,
    String worker,
    long seq,
    long token,
    long t,
    @Nullable String nonce,
    @Nullable Long readCount,
    @Nullable Long readGeneration,
    @Nullable String readWriter,
    @Nullable Boolean healthyBeforeWrite,
    @Nullable Long healthCheckedAt,
    @Nullable WriteOutcome outcome,
    @Nullable String detail) {

  /** Entered a critical section. */
  public static final String ENTER = "enter";

  /** Read the counter inside a critical section (written before the increment). */
  public static final String READ = "read";

  /** Left a critical section (written after the release). */
  public static final String EXIT = "exit";

  /** The lock registry reported the lease lost. */
  public static final String LOST = "lost";

  /** An acquisition timed out. */
  public static final String TIMEOUT = "timeout";

  /** Something failed outside a critical section. */
  public static final String ERROR = "error";
}
