/**
 * A seeded, single-threaded simulation of several lock registries, each with its own monotonic
 * clock rate and wall-clock offset, over one store with GCS semantics and injected faults. Every
 * run is reproduced exactly by its seed; invariants are checked after every step. See {@code
 * SIMULATION.md} of this module.
 */
@NullMarked
package dev.dimutex.simulation;

import org.jspecify.annotations.NullMarked;
