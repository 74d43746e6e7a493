package dev.cohort.coordinator.mode;

/**
 * Creates the processor of one mode when the coordinator is built, e.g. {@code
 * Coordinator.builder(store).mode(NotifyProcessor::new)}.
 */
@FunctionalInterface
public interface ModeProcessorFactory {
  ModeProcessor create(ModeContext context);
}
