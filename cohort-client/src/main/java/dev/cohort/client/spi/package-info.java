/**
 * For implementations of {@link dev.cohort.client.Cohort} (the HTTP transport here, the embedded
 * one in cohort-embedded), not for applications: the shared argument checks and the lazy
 * transaction that a transport drives through its {@link
 * dev.cohort.client.spi.LazyTransaction.Lane}.
 */
package dev.cohort.client.spi;
