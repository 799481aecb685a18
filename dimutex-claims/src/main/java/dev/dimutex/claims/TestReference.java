package dev.dimutex.claims;

/**
 * One test that names a claim.
 *
 * @param id the claim id it names
 * @param test where the test is, for example {@code dimutex-core: GcsLockStoreTest#name}
 */
public record TestReference(String id, String test) {}
