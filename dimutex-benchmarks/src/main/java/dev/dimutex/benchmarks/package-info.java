/**
 * The dimutex benchmark harness: an executable that starts an in-JVM GCS emulator and measures the
 * library side by side with the raw {@code google-cloud-storage} client. Not public API.
 */
@org.jspecify.annotations.NullMarked
package dev.dimutex.benchmarks;
