package dev.dimutex.chaos;

import org.jspecify.annotations.Nullable;

/**
 * One critical section as reconstructed from a worker's history.
 *
 * @param worker the worker process id (slot and incarnation, e.g. {@code w2.1})
 * @param seq the worker's section number
 * @param token the lease's fencing token
 * @param enterNanos when the worker entered, on the shared monotonic clock
 * @param exitNanos when it left (after its write), or when its increment was applied if that was
 *     earlier (from the emulator's log), or when it was killed if it never left
 * @param completed whether the worker recorded its exit (false: killed inside the section)
 * @param nonce unique id of this section's write, stored in the counter's metadata
 * @param readCount the counter value read inside the section, or -1 if unknown
 * @param readWriter the nonce of the write that produced the value read, if known
 * @param healthyBeforeWrite what {@code Lease.isHealthy()} said just before the write
 * @param healthCheckNanos when that check ran (shared clock); the write may follow much later if
 *     the process is paused in between, which only the fencing check can catch
 * @param outcome what the worker observed of its own write
 */
public record Section(
    String worker,
    long seq,
    long token,
    long enterNanos,
    long exitNanos,
    boolean completed,
    String nonce,
    long readCount,
    @Nullable String readWriter,
    boolean healthyBeforeWrite,
    long healthCheckNanos,
    WriteOutcome outcome) {}
