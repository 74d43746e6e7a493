package dev.cohort.coordinator;

import dev.cohort.api.BranchContext;
import java.util.Objects;

/**
 * A participant of a two-phase commit ({@code Mode.XA}): it does its work in a local transaction
 * and leaves it prepared when asked to {@link #prepare}, then commits or rolls that transaction
 * back when the decision arrives. A prepare that throws {@link
 * dev.cohort.api.ParticipantRefusedException} votes no; any other exception is a failed prepare;
 * both roll every branch back.
 *
 * <p>{@link #commit} and {@link #rollback} may come more than once (redelivery after a failure or a
 * crash), and a rollback may come for a branch that never prepared: both must be idempotent.
 * cohort-participant's {@code PreparedBranches} keeps those rules in the participant's database.
 */
public interface XaParticipant {
  void prepare(BranchContext context) throws Exception;

  void commit(BranchContext context) throws Exception;

  void rollback(BranchContext context) throws Exception;

  /** A participant from three method references or lambdas. */
  static XaParticipant of(
      ParticipantCall prepare, ParticipantCall commit, ParticipantCall rollback) {
    Objects.requireNonNull(prepare, "prepare");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(rollback, "rollback");
    return new XaParticipant() {
      @Override
      public void prepare(BranchContext context) throws Exception {
        prepare.call(context);
      }

      @Override
      public void commit(BranchContext context) throws Exception {
        commit.call(context);
      }

      @Override
      public void rollback(BranchContext context) throws Exception {
        rollback.call(context);
      }
    };
  }
}
