/**
 * Auto-configuration of dimutex for Spring Boot: properties under {@code dimutex.*}, the lock
 * registry, the {@code @DistributedLock} advisor, actuator, metrics and the Spring Integration
 * adapter, and the failure analyzers that explain a failed start.
 */
@NullMarked
package dev.dimutex.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
