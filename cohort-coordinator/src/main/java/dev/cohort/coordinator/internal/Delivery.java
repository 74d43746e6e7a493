package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchContext;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.api.Scheduler;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.FailureAlert;
import dev.cohort.coordinator.mode.PhaseTwoCall;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.LogUnit;
import dev.cohort.coordinator.spi.LogUnit.BranchWrite;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Phase two: calls confirm / cancel / compensate on branches until all succeed, retrying with
 * backoff, and after the retry window parks the transaction as FAILED for an operator. Shared by
 * every mode so that retry behaviour is the same everywhere.
 */
final class Delivery {
  private final Journal journal;
  private final CoordinatorOptions options;
  private final Backoff backoff;
  private final Scheduler scheduler;
  private final GuardedListener listener;
  private final Runnable wakeUp;

  Delivery(
      Journal journal,
      CoordinatorOptions options,
      Backoff backoff,
      Scheduler scheduler,
      GuardedListener listener,
      Runnable wakeUp) {
    this.journal = journal;
    this.options = options;
    this.backoff = backoff;
    this.scheduler = scheduler;
    this.listener = listener;
    this.wakeUp = wakeUp;
  }

  /**
   * Calls {@code call} on each of {@code targets} in order and writes the results. All succeeded:
   * the transaction moves to {@code terminal}. Otherwise the successes are recorded and a retry is
   * scheduled (or the transaction fails). With {@code inOrder}, the first failure stops the round,
   * because the later calls depend on it (saga compensations run in reverse).
   */
  void deliver(
      Tx tx,
      List<BranchRecord> targets,
      BranchStatus done,
      PhaseTwoCall call,
      GlobalStatus terminal,
      boolean inOrder) {
    List<BranchWrite> writes = new ArrayList<>();
    String error = null;
    boolean violation = false;
    for (BranchRecord branch : targets) {
      BranchContext context =
          new BranchContext(
              branch.gid(), branch.branchId(), branch.payload(), branch.attempts() + 1);
      Instant at = journal.now();
      long started = System.nanoTime();
      Throwable failure = null;
      try {
        call.call(branch, context);
        listener.onPhaseTwoCall(tx.global.gid(), tx.global.mode(), branch.branchId(), done, true);
        writes.add(journal.branchTo(tx, branch, done));
        writes.add(Attempts.record(branch, done, context, at, started, null, null));
        continue;
      } catch (ParticipantRefusedException e) {
        violation = true;
        failure = e;
        error =
            "branch "
                + branch.branchId()
                + " ("
                + branch.participant()
                + ") refused "
                + done.code()
                + ", which a participant must not do in phase two: "
                + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = e;
        error = describe(branch, e);
      } catch (Exception e) {
        failure = e;
        error = describe(branch, e);
      }
      listener.onPhaseTwoCall(tx.global.gid(), tx.global.mode(), branch.branchId(), done, false);
      writes.add(journal.branchFailed(branch, error));
      writes.add(Attempts.record(branch, done, context, at, started, failure, error));
      if (inOrder || violation) {
        break;
      }
    }
    if (error == null) {
      List<BranchWrite> finalWrites = compact(tx, targets, done, writes);
      if (options.awaitFinalWrite()) {
        journal.transition(tx, terminal, g -> g, finalWrites);
      } else {
        journal.finishQueued(tx, terminal, finalWrites);
      }
    } else {
      retryOrFail(tx, writes, error, violation);
    }
  }

  /**
   * When every branch in one status just succeeded, one "advance all" write replaces a write per
   * branch: the common case (all confirms of a TCC) then costs the log one statement.
   */
  private static List<BranchWrite> compact(
      Tx tx, List<BranchRecord> targets, BranchStatus done, List<BranchWrite> writes) {
    if (targets.isEmpty()) {
      return writes;
    }
    BranchStatus from = targets.getFirst().status();
    long inStatus = tx.branches.stream().filter(b -> b.status() == from).count();
    boolean uniform = targets.stream().allMatch(b -> b.status() == from && b.attempts() == 0);
    if (!uniform || inStatus != targets.size()) {
      return writes;
    }
    List<BranchWrite> compacted = new ArrayList<>();
    compacted.add(new LogUnit.AdvanceBranches(tx.global.gid(), from, done));
    writes.stream().filter(w -> w instanceof LogUnit.RecordAttempt).forEach(compacted::add);
    return compacted;
  }

  /**
   * Records a failed round: schedules the next one with backoff, or, past the retry window or on a
   * contract violation, moves the transaction to FAILED and raises the alert.
   */
  void retryOrFail(Tx tx, List<BranchWrite> writes, String error, boolean violation) {
    Instant now = journal.now();
    Instant phaseStart = tx.global.phaseStartedAt() == null ? now : tx.global.phaseStartedAt();
    int attempts = tx.global.attempts() + 1;
    Duration elapsed = Duration.between(phaseStart, now);
    if (violation || elapsed.compareTo(options.retryWindow()) >= 0) {
      GlobalStatus stuckIn = tx.global.status();
      String reason =
          violation
              ? error
              : "gave up after "
                  + attempts
                  + " attempts over "
                  + elapsed
                  + " (retry window "
                  + options.retryWindow()
                  + "); last error: "
                  + error;
      boolean moved =
          journal.transition(
              tx,
              GlobalStatus.FAILED,
              g -> g.withPhase(phaseStart, stuckIn, reason).withSchedule(now, now, attempts),
              writes);
      if (moved) {
        listener.onFailed(new FailureAlert(tx.global.gid(), stuckIn, attempts, elapsed, reason));
      }
      return;
    }
    Duration delay = backoff.delay(attempts);
    Instant next = now.plus(delay);
    boolean written =
        journal.update(
            tx,
            g ->
                g.withPhase(phaseStart, g.resumeStatus(), g.reason())
                    .withSchedule(next, next.plus(options.lease()), attempts),
            writes);
    if (written) {
      scheduler.schedule(delay, wakeUp);
    }
  }

  static String describe(BranchRecord branch, Throwable e) {
    return "branch "
        + branch.branchId()
        + " ("
        + branch.participant()
        + ") threw "
        + e.getClass().getName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
