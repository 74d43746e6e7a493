/**
 * Writes that stay correct under concurrency and replication lag: {@link
 * dev.cohort.lock.OptimisticLock} with {@link dev.cohort.lock.OptimisticRetry}, and {@link
 * dev.cohort.lock.LeaseLock} whose fencing tokens {@link dev.cohort.lock.FencedTable} checks.
 * docs/locks.md is the guide.
 */
package dev.cohort.lock;
