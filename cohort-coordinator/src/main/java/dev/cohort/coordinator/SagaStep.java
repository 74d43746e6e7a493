package dev.cohort.coordinator;

import dev.cohort.api.BranchContext;
import java.util.Objects;

/**
 * An in-process saga step: an action and the compensation that semantically undoes it. The
 * compensation may run for an action whose outcome is unknown (it failed or the engine crashed
 * during it), so it must be a no-op when the action had no effect.
 */
public interface SagaStep {
  void action(BranchContext context) throws Exception;

  void compensate(BranchContext context) throws Exception;

  static SagaStep of(ParticipantCall action, ParticipantCall compensation) {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(compensation, "compensation");
    return new SagaStep() {
      @Override
      public void action(BranchContext context) throws Exception {
        action.call(context);
      }

      @Override
      public void compensate(BranchContext context) throws Exception {
        compensation.call(context);
      }
    };
  }
}
