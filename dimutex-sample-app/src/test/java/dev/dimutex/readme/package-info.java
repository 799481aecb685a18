/**
 * The code snippets of the README, kept compiled and exercised by tests. This package is outside
 * {@code dev.dimutex.sample} so that the sample application's component scan does not pick it up.
 */
@NullMarked
package dev.dimutex.readme;

import org.jspecify.annotations.NullMarked;
