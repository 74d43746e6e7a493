/**
 * The transaction log the engine writes to. Implement {@link
 * dev.cohort.coordinator.spi.TransactionStore} to put the log somewhere new; cohort-store-jdbc is
 * the shipped implementation. The engine never reads a status it did not write through a {@link
 * dev.cohort.coordinator.spi.LogUnit}, and every unit is guarded by a compare-and-set on the global
 * status, so a store only has to be atomic per unit and durable on completion.
 */
package dev.cohort.coordinator.spi;
