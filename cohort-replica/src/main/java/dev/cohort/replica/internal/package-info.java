/**
 * Implementation of {@code dev.cohort.replica}: connection proxies, SQL classification, the router,
 * the replica poller and the database dialects. Not an API: anything here may change without
 * notice; use the types of {@code dev.cohort.replica} instead.
 */
package dev.cohort.replica.internal;
