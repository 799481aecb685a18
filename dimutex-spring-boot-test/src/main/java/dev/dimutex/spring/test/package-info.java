/**
 * Test support for applications that use the dimutex Spring Boot starter: {@link
 * dev.dimutex.spring.test.AutoConfigureGcsEmulator} runs a {@code @SpringBootTest} against the
 * in-JVM GCS emulator, {@link dev.dimutex.spring.test.AutoConfigureInMemoryLocks} and {@link
 * dev.dimutex.spring.test.InMemoryLockRegistries} give locks that live in the test's JVM only.
 */
@NullMarked
package dev.dimutex.spring.test;

import org.jspecify.annotations.NullMarked;
