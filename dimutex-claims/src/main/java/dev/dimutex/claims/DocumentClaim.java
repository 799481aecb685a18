package dev.dimutex.claims;

import org.jspecify.annotations.Nullable;

/**
 * One claim as a document defines it.
 *
 * @param id the id inside the brackets, for example {@code C-REL-3}
 * @param document the document's path relative to the repository root
 * @param statement the sentence (or table cell) that ends at the id, shortened for the table
 * @param benchmarkKey the benchmark key the claim points at ({@code [C-PERF-1: bench
 *     scale_held_locks]}), or null for a claim that tests back
 */
public record DocumentClaim(
    String id, String document, String statement, @Nullable String benchmarkKey) {}
