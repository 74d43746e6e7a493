package dev.cohort.messaging;

/**
 * What an inbox's {@code receive} did since it was built: its metrics.
 *
 * @param applied messages whose handler ran and committed
 * @param duplicates redeliveries skipped (already applied or parked)
 * @param parked messages parked with a reason (unknown type, unparsable payload): dead letters
 */
public record InboxStats(long applied, long duplicates, long parked) {}
