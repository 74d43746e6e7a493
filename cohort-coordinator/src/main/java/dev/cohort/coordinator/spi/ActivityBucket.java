package dev.cohort.coordinator.spi;

import dev.cohort.api.GlobalStatus;
import java.time.Instant;

/**
 * How many transactions created in one time bucket have a status now; for throughput and
 * failure-rate charts.
 *
 * @param start the bucket's first instant
 * @param status the transactions' current status
 * @param count how many
 */
public record ActivityBucket(Instant start, GlobalStatus status, long count) {}
