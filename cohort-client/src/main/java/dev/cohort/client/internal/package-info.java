/**
 * Implementation of the barrier (per-database SQL and the decision logic) and of the SDK's two
 * transports ({@code EmbeddedCohort}, {@code RemoteCohort}). Not an API: anything here may change
 * in any release. Use {@link dev.cohort.client.Barrier} and {@link dev.cohort.client.Cohort}.
 */
package dev.cohort.client.internal;
