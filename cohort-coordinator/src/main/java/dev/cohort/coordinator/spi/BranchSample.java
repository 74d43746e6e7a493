package dev.cohort.coordinator.spi;

/**
 * One branch of a recent transaction, reduced to what per-participant error rates need.
 *
 * @param participant the name the participant was registered under in the engine
 * @param payload the branch's payload (for HTTP branches: the encoded target with its URLs)
 * @param attempts calls of the branch's current operation that did not succeed
 * @param lastError the last failure; null when none
 */
public record BranchSample(String participant, String payload, int attempts, String lastError) {}
