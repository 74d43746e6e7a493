package dev.cohort.coordinator;

import dev.cohort.api.BranchContext;
import java.util.Objects;

/**
 * An in-process TCC participant. Confirm and cancel may be called more than once (redelivery after
 * a failure or a crash) and cancel may come without a try (the try never arrived): both must be
 * idempotent, which the participant barrier in cohort-client provides.
 */
public interface TccParticipant {
  void tryReserve(BranchContext context) throws Exception;

  void confirm(BranchContext context) throws Exception;

  void cancel(BranchContext context) throws Exception;

  /** A participant from three method references or lambdas. */
  static TccParticipant of(
      ParticipantCall tryCall, ParticipantCall confirm, ParticipantCall cancel) {
    Objects.requireNonNull(tryCall, "try");
    Objects.requireNonNull(confirm, "confirm");
    Objects.requireNonNull(cancel, "cancel");
    return new TccParticipant() {
      @Override
      public void tryReserve(BranchContext context) throws Exception {
        tryCall.call(context);
      }

      @Override
      public void confirm(BranchContext context) throws Exception {
        confirm.call(context);
      }

      @Override
      public void cancel(BranchContext context) throws Exception {
        cancel.call(context);
      }
    };
  }
}
