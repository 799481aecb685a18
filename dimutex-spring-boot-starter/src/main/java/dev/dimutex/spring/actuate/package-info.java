/**
 * Actuator and Micrometer support for dimutex: the {@code dimutex} health contributor, the {@code
 * locks} endpoint, meters and observations. Registered by the auto-configurations in {@code
 * dev.dimutex.spring.autoconfigure}.
 */
@NullMarked
package dev.dimutex.spring.actuate;

import org.jspecify.annotations.NullMarked;
