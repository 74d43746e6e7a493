package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchStatus;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.InvalidDefinitionException;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.ThreePcParticipant;
import dev.cohort.coordinator.mode.ModeContext;
import dev.cohort.coordinator.mode.ModeProcessor;
import dev.cohort.coordinator.mode.ModeTransaction;
import dev.cohort.coordinator.mode.ParticipantKind;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.LogUnit.BranchWrite;
import dev.cohort.protocol.ModeContract;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Three-phase commit. The log holds, in {@code begun}, whether the pre-commit decision was taken:
 * every branch moved from {@code registered} to {@code succeeded} in one write before the first
 * pre-commit call.
 *
 * <ol>
 *   <li>can-commit to every branch (serially; a participant locks nothing to vote). A no, a failure
 *       or the deadline → {@code rolling_back}, abort to every branch.
 *   <li>The pre-commit decision is written; pre-commit to every branch (each does its work and
 *       holds it prepared). A missing acknowledgement → {@code rolling_back}, abort to every
 *       branch: this is where 3PC's partition anomaly lives, because a participant that did
 *       pre-commit but cannot hear the abort commits on its own timeout (docs/xa-and-3pc.md).
 *   <li>All acknowledged → {@code committing} is written, do-commit is delivered with retries.
 * </ol>
 *
 * Recovery: {@code begun} without the pre-commit decision → abort (participants waiting after their
 * vote abort on their own too); {@code begun} with it → commit, the way its pre-committed
 * participants go on their own timeout.
 */
final class ThreePcProcessor implements ModeProcessor {
  private final ModeContext ctx;
  private final ParticipantKind<ThreePcParticipant> participants;
  private final Votes votes;
  private final HeldUntilCommit open;

  ThreePcProcessor(ModeContext ctx, ParticipantKind<ThreePcParticipant> participants) {
    this.ctx = ctx;
    this.participants = participants;
    this.votes = new Votes(ctx);
    this.open = new HeldUntilCommit(ctx);
  }

  @Override
  public Mode mode() {
    return Mode.THREE_PC;
  }

  @Override
  public Optional<ModeContract> clientContract() {
    return Optional.of(ModeContract.THREE_PC);
  }

  @Override
  public void checkBranch(BranchRecord branch) {
    ctx.participant(participants, branch.participant());
    if (branch.forward()) {
      throw new InvalidInputException(
          "forward recovery is for saga steps; a 3PC branch is always aborted on rollback");
    }
  }

  @Override
  public void checkPlan(List<BranchRecord> branches) {
    if (branches.isEmpty()) {
      throw new InvalidDefinitionException(
          "a 3PC transaction needs at least one branch to vote; register one first");
    }
  }

  @Override
  public void run(ModeTransaction tx) {
    List<Votes.Result> canCommit =
        votes.collect(
            tx,
            List.copyOf(tx.branches()),
            (b, call) -> ctx.participant(participants, b.participant()).canCommit(call),
            "can-commit",
            tx.global().deadline(),
            false);
    String reason = Votes.firstReason(canCommit);
    Instant now = ctx.now();
    if (reason == null && now.isAfter(tx.global().deadline())) {
      reason = "the can-commit round ended after the deadline " + tx.global().deadline();
    }
    if (reason != null) {
      List<BranchWrite> writes = new ArrayList<>();
      for (int i = 0; i < canCommit.size(); i++) {
        BranchRecord b = tx.branches().get(i);
        switch (canCommit.get(i).vote()) {
          case NO -> writes.add(ctx.branchTo(tx, b, BranchStatus.REFUSED));
          case FAILED -> writes.add(ctx.branchFailed(b, canCommit.get(i).detail()));
          case YES, NOT_ASKED -> {}
        }
      }
      abort(tx, reason, writes);
      return;
    }
    Instant leaseUntil = now.plus(ctx.options().lease());
    boolean preCommitDecided =
        ctx.update(
            tx,
            g ->
                g.withPhase(now, null, null)
                    .withSchedule(leaseUntil, leaseUntil, 0)
                    .withOwner(ctx.options().nodeId(), leaseUntil),
            List.of(ctx.advanceBranches(tx, BranchStatus.REGISTERED, BranchStatus.SUCCEEDED)));
    if (preCommitDecided) {
      preCommit(tx, leaseUntil);
    }
  }

  /** Phase two; every branch is {@code succeeded} (the pre-commit decision is in the log). */
  private void preCommit(ModeTransaction tx, Instant until) {
    List<Votes.Result> acks =
        votes.collect(
            tx,
            List.copyOf(tx.branches()),
            (b, call) -> ctx.participant(participants, b.participant()).preCommit(call),
            "pre-commit",
            until,
            false);
    String reason = Votes.firstReason(acks);
    if (reason != null) {
      List<BranchWrite> writes = new ArrayList<>();
      for (int i = 0; i < acks.size(); i++) {
        if (!acks.get(i).yes() && acks.get(i).detail() != null) {
          writes.add(ctx.branchFailed(tx.branches().get(i), acks.get(i).detail()));
        }
      }
      abort(tx, "pre-commit was not acknowledged by every branch: " + reason, writes);
      return;
    }
    decideCommit(tx);
  }

  private void decideCommit(ModeTransaction tx) {
    Instant now = ctx.now();
    Instant leaseUntil = now.plus(ctx.options().lease());
    boolean decided =
        ctx.transition(
            tx,
            GlobalStatus.COMMITTING,
            g ->
                g.withPhase(now, null, null)
                    .withSchedule(leaseUntil, leaseUntil, 0)
                    .withOwner(ctx.options().nodeId(), leaseUntil),
            List.of());
    if (decided) {
      doCommitAll(tx);
    }
  }

  /** Branches wait for the commit: submitting an open transaction runs the first round now. */
  @Override
  public void commitOpen(ModeTransaction tx) {
    if (open.submit(tx)) {
      run(tx);
    }
  }

  @Override
  public void abortOpen(ModeTransaction tx, String reason) {
    open.abort(tx, reason);
  }

  @Override
  public void resume(ModeTransaction tx) {
    switch (tx.global().status()) {
      case OPEN ->
          abortOpen(
              tx,
              "it was not committed before its deadline "
                  + tx.global().deadline()
                  + "; rolled back");
      case BEGUN -> {
        if (preCommitDecided(tx)) {
          // Pre-committed participants commit on their own timeout: recovery goes the same way.
          decideCommit(tx);
        } else {
          abort(
              tx,
              "the can-commit round was interrupted (the engine stopped or lost its lease);"
                  + " aborted",
              List.of());
        }
      }
      case COMMITTING -> doCommitAll(tx);
      case ROLLING_BACK -> abortAll(tx);
      default -> {}
    }
  }

  private static boolean preCommitDecided(ModeTransaction tx) {
    for (BranchRecord b : tx.branches()) {
      if (b.status() != BranchStatus.SUCCEEDED) {
        return false;
      }
    }
    return !tx.branches().isEmpty();
  }

  private void abort(ModeTransaction tx, String reason, List<BranchWrite> writes) {
    Instant now = ctx.now();
    boolean decided =
        ctx.transition(
            tx,
            GlobalStatus.ROLLING_BACK,
            g -> g.withPhase(now, null, reason).withSchedule(g.nextAttemptAt(), g.leaseUntil(), 0),
            writes);
    if (decided) {
      abortAll(tx);
    }
  }

  private void doCommitAll(ModeTransaction tx) {
    List<BranchRecord> targets = new ArrayList<>();
    for (BranchRecord b : tx.branches()) {
      if (b.status() == BranchStatus.SUCCEEDED) {
        targets.add(b);
      }
    }
    ctx.deliver(
        tx,
        targets,
        BranchStatus.CONFIRMED,
        (b, call) -> ctx.participant(participants, b.participant()).doCommit(call),
        GlobalStatus.COMMITTED,
        false);
  }

  private void abortAll(ModeTransaction tx) {
    List<BranchRecord> targets = new ArrayList<>();
    for (BranchRecord b : tx.branches()) {
      if (!b.status().isTerminal()) {
        targets.add(b);
      }
    }
    ctx.deliver(
        tx,
        targets,
        BranchStatus.CANCELLED,
        (b, call) -> ctx.participant(participants, b.participant()).abort(call),
        GlobalStatus.ROLLED_BACK,
        false);
  }
}
