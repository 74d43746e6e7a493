/**
 * Read-write splitting without stale reads.
 *
 * <p>{@link dev.cohort.replica.RoutingDataSource} sends writes, transactions and locking reads to
 * the primary and lets other reads go to a replica only when the active {@link
 * dev.cohort.replica.ConsistencyPolicy} allows it; under the default {@code READ_YOUR_WRITES} that
 * means a replica that has applied the caller's {@link dev.cohort.replica.ConsistencyToken}. {@link
 * dev.cohort.replica.Consistency} holds the per-thread scopes (force-primary, policy, session
 * token).
 */
package dev.cohort.replica;
