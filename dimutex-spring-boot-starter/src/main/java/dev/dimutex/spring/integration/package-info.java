/**
 * A Spring Integration {@code LockRegistry} backed by dimutex, so that Spring Integration's lock
 * users (for example {@code LockRegistryLeaderInitiator} for leader election) run on Google Cloud
 * Storage.
 */
@NullMarked
package dev.dimutex.spring.integration;

import org.jspecify.annotations.NullMarked;
