/**
 * Implementation of {@code dev.cohort.cache}: the Redis scripts and the stored entry format. Not an
 * API: anything here may change without notice; use the types of {@code dev.cohort.cache} instead.
 */
package dev.cohort.cache.internal;
