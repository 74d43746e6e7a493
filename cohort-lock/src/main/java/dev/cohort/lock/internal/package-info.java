/**
 * Implementation of {@code dev.cohort.lock}: SQL names and per-database statements. Not an API:
 * anything here may change without notice; use the types of {@code dev.cohort.lock} instead.
 */
package dev.cohort.lock.internal;
