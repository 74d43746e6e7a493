package dev.cohort.coordinator.mode;

import dev.cohort.api.BranchContext;
import dev.cohort.coordinator.spi.BranchRecord;

/**
 * One phase-two call (confirm, cancel, compensate, ...) on one branch, for {@link
 * ModeContext#deliver}.
 */
@FunctionalInterface
public interface PhaseTwoCall {
  void call(BranchRecord branch, BranchContext context) throws Exception;
}
