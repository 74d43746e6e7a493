package dev.cohort.client;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.protocol.HttpTarget;

/**
 * One branch of a {@link TransactionInfo}.
 *
 * @param participant {@code http} for a branch reached by URL, else the in-process name
 * @param target the URLs and body of an HTTP branch; null for an in-process one
 * @param payload the JSON body of an HTTP branch, or an in-process branch's payload
 * @param lastError why the last call failed; null when none did
 */
public record BranchInfo(
    BranchId branchId,
    BranchStatus status,
    String participant,
    HttpTarget target,
    String payload,
    boolean forwardRecovery,
    int attempts,
    String lastError) {}
