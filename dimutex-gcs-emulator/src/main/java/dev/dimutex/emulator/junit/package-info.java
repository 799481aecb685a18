/** JUnit 5 support: {@link dev.dimutex.emulator.junit.GcsEmulatorExtension}. */
@NullMarked
package dev.dimutex.emulator.junit;

import org.jspecify.annotations.NullMarked;
