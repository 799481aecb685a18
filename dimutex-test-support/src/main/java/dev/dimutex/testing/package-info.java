/**
 * Test support for dimutex users and store authors: {@link dev.dimutex.testing.InMemoryLockStore}
 * (exact GCS precondition semantics, request counts and scripted faults), {@link
 * dev.dimutex.testing.FakeTime}, {@link dev.dimutex.testing.DeterministicScheduler}, {@link
 * dev.dimutex.testing.RecordingListener} and the {@link dev.dimutex.testing.LockRegistryContract}
 * suite that every registry must pass.
 *
 * <p>{@code dimutex-core}'s own tests compile these sources too (the build adds this folder to its
 * test sources), because core cannot depend on a module that depends on it.
 */
@NullMarked
package dev.dimutex.testing;

import org.jspecify.annotations.NullMarked;
