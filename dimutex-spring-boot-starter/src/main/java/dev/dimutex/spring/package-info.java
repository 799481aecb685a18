/**
 * Spring support for dimutex: the {@link dev.dimutex.spring.DistributedLock} annotation, the {@link
 * dev.dimutex.spring.CurrentLease} accessor for the lease of the running method, and the pieces
 * that the auto-configuration wires together.
 */
@NullMarked
package dev.dimutex.spring;

import org.jspecify.annotations.NullMarked;
