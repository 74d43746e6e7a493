package dev.cohort.api;

/**
 * What a participant receives on each call. {@code attempt} starts at 1 and grows with every
 * redelivery, so a participant can tell a retry from a first call; it must still be idempotent,
 * because a crash can repeat a call the log did not see finish.
 */
public record BranchContext(Gid gid, BranchId branchId, String payload, int attempt) {}
