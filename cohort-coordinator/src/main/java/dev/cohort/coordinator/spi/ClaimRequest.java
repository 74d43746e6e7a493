package dev.cohort.coordinator.spi;

import java.time.Instant;

/**
 * Asks for unfinished transactions that are due, leasing them to {@code owner} until {@code
 * leaseUntil}, which also becomes its next attempt time if that was earlier (so it is not due again
 * while it is being driven). A transaction is due when its next attempt time has come and no other
 * owner's lease is live on it. With {@code ownRegardlessOfTime}, every unfinished transaction
 * already owned by {@code owner} is returned too (except an OPEN one before its deadline, which its
 * client may still commit): that is how a restarted engine resumes its own work at once instead of
 * waiting for its old lease to run out.
 */
public record ClaimRequest(
    String owner, Instant now, Instant leaseUntil, int limit, boolean ownRegardlessOfTime) {}
