package dev.cohort.messaging;

/**
 * What a relay did since it started: its metrics.
 *
 * @param published messages the broker confirmed
 * @param failedAttempts messages whose publish failed and will be tried again
 * @param deadLettered messages moved to DEAD (the dead-letter path; each one waits for an operator)
 */
public record RelayStats(long published, long failedAttempts, long deadLettered) {}
