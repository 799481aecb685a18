/**
 * An in-JVM Google Cloud Storage JSON-API server for tests: {@link
 * dev.dimutex.emulator.GcsEmulator} with exact precondition semantics, {@link
 * dev.dimutex.emulator.Faults fault injection} and a {@link dev.dimutex.emulator.RequestLog request
 * log}. {@link dev.dimutex.emulator.EmulatorStorage} builds a ready {@code
 * com.google.cloud.storage.Storage} client for it, and {@link dev.dimutex.emulator.Main} runs it as
 * a standalone process.
 */
@NullMarked
package dev.dimutex.emulator;

import org.jspecify.annotations.NullMarked;
