@NullMarked
package dev.dimutex.spring.test;

import org.jspecify.annotations.NullMarked;
