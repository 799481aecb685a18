/**
 * Chaos harness for dimutex: worker JVM processes contend for one lock on a standalone emulator
 * process while faults, crashes, freezes and clock offsets are injected; {@link
 * dev.dimutex.chaos.HistoryChecker} then proves from the recorded history that nothing overlapped
 * illegally.
 */
@NullMarked
package dev.dimutex.chaos;

import org.jspecify.annotations.NullMarked;
