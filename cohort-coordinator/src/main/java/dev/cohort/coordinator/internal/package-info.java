/**
 * Implementation of the engine. Not an API: anything here may change in any release; use {@link
 * dev.cohort.coordinator.Coordinator} instead.
 */
package dev.cohort.coordinator.internal;
