package dev.dimutex.chaos;

import org.jspecify.annotations.Nullable;

/**
 * One injected fault.
 *
 * @param kind what was injected
 * @param atNanos when, on the shared monotonic clock ({@code System.nanoTime()} of this host)
 * @param durationNanos how long it lasted (0 for a crash)
 * @param worker the worker it hit, for crashes, freezes and clock offsets
 * @param heldToken the fencing token of the lease the worker held when hit, if it held one
 * @param detail a human description (status mix, latency, offset)
 */
public record FaultEvent(
    FaultKind kind,
    long atNanos,
    long durationNanos,
    @Nullable String worker,
    @Nullable Long heldToken,
    String detail) {}
