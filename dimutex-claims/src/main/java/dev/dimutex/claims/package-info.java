/**
 * The claims ledger: reads the claim ids that the documents define ({@code [C-REL-3]}) and the
 * tests that name them ({@code @Claim("C-REL-3")}), reports what does not match and renders {@code
 * CLAIMS.md}. Used only by this module's own test in {@code verify}; not published.
 */
@NullMarked
package dev.dimutex.claims;

import org.jspecify.annotations.NullMarked;
