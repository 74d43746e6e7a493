/**
 * The embeddable coordinator. Start with {@link dev.cohort.coordinator.Coordinator#builder}; see
 * docs/coordinator.md for the model, the statuses and the options.
 */
package dev.cohort.coordinator;
