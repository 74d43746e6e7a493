package dev.cohort.coordinator;

import dev.cohort.api.BranchContext;

/**
 * A participant of a three-phase commit ({@code Mode.THREE_PC}). {@link #canCommit} votes without
 * locking anything (throw {@link dev.cohort.api.ParticipantRefusedException} to vote no); {@link
 * #preCommit} does the work and holds it prepared; {@link #doCommit} commits it; {@link #abort}
 * forgets the vote or rolls the held work back. Every call may be repeated and must be idempotent.
 *
 * <p>What makes it three-phase is on the participant's side: after a yes vote it aborts by itself
 * when no pre-commit comes in time, and once pre-committed it commits by itself when no decision
 * comes in time (cohort-participant's {@code ThreePhaseBranches}).
 */
public interface ThreePcParticipant {
  void canCommit(BranchContext context) throws Exception;

  void preCommit(BranchContext context) throws Exception;

  void doCommit(BranchContext context) throws Exception;

  void abort(BranchContext context) throws Exception;
}
