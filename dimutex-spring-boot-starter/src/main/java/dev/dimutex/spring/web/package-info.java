/**
 * Web support for dimutex: RFC 9457 problem details for lock exceptions that escape a Spring MVC
 * handler. Registered by {@code DimutexWebAutoConfiguration}.
 */
@NullMarked
package dev.dimutex.spring.web;

import org.jspecify.annotations.NullMarked;
