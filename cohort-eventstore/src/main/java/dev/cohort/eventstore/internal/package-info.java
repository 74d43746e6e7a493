/**
 * Implementation of {@code dev.cohort.eventstore}: per-database SQL and JDBC steps. Not an API:
 * anything here may change without notice; use the types of {@code dev.cohort.eventstore} instead.
 */
package dev.cohort.eventstore.internal;
