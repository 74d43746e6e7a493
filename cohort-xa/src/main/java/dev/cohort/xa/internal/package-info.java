/**
 * Implementation of {@code dev.cohort.xa}: the transaction and its branches, two-phase commit, the
 * decision log over the engine's store, recovery and the connection pool. Not an API: anything here
 * may change without notice; use the types of {@code dev.cohort.xa} instead.
 */
package dev.cohort.xa.internal;
