/**
 * Implementation of the barrier: per-database SQL and the decision logic. Not an API: anything here
 * may change in any release. Use {@link dev.cohort.client.Barrier}.
 */
package dev.cohort.client.internal;
