/**
 * How a mode plugs into the coordinator. A mode is a {@link
 * dev.cohort.coordinator.mode.ModeProcessor} created by a {@link
 * dev.cohort.coordinator.mode.ModeProcessorFactory} registered with {@code
 * Coordinator.builder(store).mode(factory)}; the engine hands it a {@link
 * dev.cohort.coordinator.mode.ModeContext} (the log, delivery with retries, the scheduler, its
 * participants) and calls it for everything mode-specific. TCC and saga are built the same way.
 */
package dev.cohort.coordinator.mode;
