/**
 * A Spring Boot application that shows dimutex locks at work: a fleet-wide singleton scheduled job,
 * per-key REST work under {@code @DistributedLock}, direct use of the {@link
 * dev.dimutex.LockRegistry} with fencing tokens, and a long job that checks its lease between
 * steps. It runs on an embedded GCS emulator unless configured for real GCS or an external
 * emulator.
 */
@NullMarked
package dev.dimutex.sample;

import org.jspecify.annotations.NullMarked;
