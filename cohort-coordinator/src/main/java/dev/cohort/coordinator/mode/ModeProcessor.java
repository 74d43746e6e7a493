package dev.cohort.coordinator.mode;

import dev.cohort.api.InvalidDefinitionException;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.protocol.ModeContract;
import java.util.List;
import java.util.Optional;

/**
 * Everything about one mode; the engine only does the mode-neutral part (the log, the recovery
 * scan, the poll, the purge, the operator's commands, the bookkeeping of open/commit/abort) and
 * calls the processor of the transaction's mode for the rest.
 *
 * <p>What a processor must guarantee, because the engine cannot check it:
 *
 * <ul>
 *   <li><b>Write-ahead</b>: the decision (e.g. {@code committing}, {@code rolling_back}) is written
 *       through {@link ModeContext#transition} and returned true before any participant hears phase
 *       two. A transition that returns false lost a compare-and-set: someone else moved the
 *       transaction, the {@link ModeTransaction} now shows the log's state, and the processor must
 *       stop (or decide again from that state), never call participants on its own stale view.
 *   <li><b>Legal transitions only</b>: statuses change only through the context, which checks them
 *       against {@code GlobalStatus} / {@code BranchStatus}.
 *   <li><b>Idempotent resume</b>: {@link #resume} may run on any node, any number of times, after a
 *       crash at any point; calling a participant again must be what the mode's participants accept
 *       (they are called at least once).
 * </ul>
 *
 * Every method runs on a transaction the engine holds for this node (no poller of this node touches
 * it meanwhile; other nodes are kept off by the lease and the compare-and-set).
 */
public interface ModeProcessor {
  Mode mode();

  /**
   * What clients must know to start this mode's transactions (whether a register runs the branch at
   * once or it waits for the commit, whether a one-shot run may be parallel, the HTTP branch
   * shape); the SDK's embedded transport and the server read it instead of branching on the mode.
   * Empty (the default): the mode is reachable only through the {@code Coordinator}'s Java API, and
   * the SDK and the server refuse it.
   */
  default Optional<ModeContract> clientContract() {
    return Optional.empty();
  }

  /**
   * Refuses, before anything is written, a branch this mode cannot run: an unknown participant
   * (look it up with {@link ModeContext#participant}), an option the mode does not have. Throws an
   * exception naming the bad value and how to fix it.
   */
  void checkBranch(BranchRecord branch);

  /**
   * Refuses, before anything is written, a one-shot plan this mode cannot run; each branch is also
   * checked with {@link #checkBranch}. The default refuses an empty plan.
   */
  default void checkPlan(List<BranchRecord> branches) {
    if (branches.isEmpty()) {
      throw new InvalidDefinitionException(
          "a " + mode().code() + " transaction needs at least one branch");
    }
  }

  /**
   * The one-shot path: the transaction and all its branches were just written {@code begun}; carry
   * it as far as it goes now. With a presumed-abort plan ({@link #presumesAbort}) nothing was
   * written yet: the first {@link ModeContext#transition} writes the whole transaction in its new
   * status, and returns false (the transaction now showing the log's copy) when the gid was taken
   * meanwhile, for example by a participant's outcome query that recorded it rolled back.
   */
  void run(ModeTransaction tx);

  /**
   * Whether {@link #run} may start from a transaction that is not in the log (a presumed-abort
   * plan): true only for a mode whose participants, left holding work by a coordinator that crashed
   * before writing anything, settle it themselves by asking for the outcome, which for a gid the
   * log does not know is a recorded rollback. The default: false, such plans are refused.
   */
  default boolean presumesAbort() {
    return false;
  }

  /**
   * A branch was just written into an OPEN transaction (by register, or by open with a first
   * branch). TCC tries it here; a mode that only acts on commit does nothing (the default).
   */
  default void registered(ModeTransaction tx, BranchRecord branch) {}

  /** The client commits (or submits) an OPEN transaction: decide, then deliver. */
  void commitOpen(ModeTransaction tx);

  /** Rolls back an OPEN transaction: the client aborted, or {@code reason} (e.g. the deadline). */
  void abortOpen(ModeTransaction tx, String reason);

  /**
   * Carries a transaction loaded from the log as far as it can go now: after a crash, when a retry
   * is due, when an open one passed its deadline, or on an operator's retry.
   */
  void resume(ModeTransaction tx);
}
