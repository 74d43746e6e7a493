package dev.cohort.coordinator.mode;

import dev.cohort.api.BranchStatus;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Scheduler;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.LogUnit.BranchWrite;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * What the engine lends a {@link ModeProcessor}: the only way to change a transaction (checked
 * transitions written with a compare-and-set), phase-two delivery with the engine's retries,
 * backoff and FAILED handling, time, the scheduler and executor, and the registered participants.
 */
public interface ModeContext {
  /** Now, from the coordinator's injected clock. */
  Instant now();

  CoordinatorOptions options();

  /** Fires deadlines and retries; tests drive it by hand. */
  Scheduler scheduler();

  /**
   * Runs participant calls that must not block the caller's thread (e.g. tries racing a deadline).
   */
  Executor executor();

  /**
   * The participant registered under {@code name} for {@code kind}; throws {@code
   * UnknownParticipantException} naming the registered ones when there is none.
   */
  <T> T participant(ParticipantKind<T> kind, String name);

  /**
   * Moves the global status to {@code to} (checked against the status table), applying {@code
   * change} to the record and {@code writes} to branches, in one durable compare-and-set.
   *
   * @return false when someone moved the transaction first; {@code tx} then shows the log's state
   */
  boolean transition(
      ModeTransaction tx,
      GlobalStatus to,
      UnaryOperator<GlobalRecord> change,
      List<BranchWrite> writes);

  /** Like {@link #transition} without a status change: schedule, attempts, branch results. */
  boolean update(ModeTransaction tx, UnaryOperator<GlobalRecord> change, List<BranchWrite> writes);

  /** A write moving {@code branch} to {@code to}, checked against the branch status table. */
  BranchWrite branchTo(ModeTransaction tx, BranchRecord branch, BranchStatus to);

  /** A write moving every branch of {@code tx} in {@code from} to {@code to}, in one statement. */
  BranchWrite advanceBranches(ModeTransaction tx, BranchStatus from, BranchStatus to);

  /** A write recording a failed call on {@code branch}; its status stays. */
  BranchWrite branchFailed(BranchRecord branch, String error);

  /**
   * Phase two: calls {@code call} on each of {@code targets} (in order, stopping at the first
   * failure, with {@code inOrder}) and writes the results. All succeeded: the transaction moves to
   * {@code terminal}. Otherwise a retry is scheduled with backoff, and past the retry window (or on
   * a refusal, which phase two must not see) the transaction becomes FAILED and the alert fires.
   */
  void deliver(
      ModeTransaction tx,
      List<BranchRecord> targets,
      BranchStatus done,
      PhaseTwoCall call,
      GlobalStatus terminal,
      boolean inOrder);

  /**
   * Records a failed round that {@link #deliver} did not run (e.g. a forward saga step): the next
   * one is scheduled with backoff, or the transaction becomes FAILED as {@link #deliver} would.
   */
  void retryOrFail(ModeTransaction tx, List<BranchWrite> writes, String error, boolean violation);

  /** How errors and the log describe a call on {@code branch} that threw {@code e}. */
  String describeFailure(BranchRecord branch, Throwable e);
}
