package dev.cohort.replica;

import java.time.Duration;
import java.util.List;

/**
 * How a {@link ReplicaSync#await} ended.
 *
 * @param satisfied whether the requested replicas (all, or any one) applied the token in time
 * @param applied names of the replicas known to have applied it
 * @param pending names of the replicas that had not (timed out, unreachable)
 * @param took time from the call to completion
 */
public record SyncResult(
    boolean satisfied, List<String> applied, List<String> pending, Duration took) {}
