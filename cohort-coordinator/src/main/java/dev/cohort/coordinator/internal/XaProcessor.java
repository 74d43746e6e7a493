package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchStatus;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.InvalidDefinitionException;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.XaParticipant;
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
 * Two-phase commit across services. Phase one prepares every branch (a yes vote leaves a prepared
 * local transaction at the participant, holding its locks); all yes → {@code committing} is
 * written, then commits are delivered; anything else → {@code rolling_back} is written, then every
 * branch is rolled back, including those that never answered. Branch statuses: a yes vote is {@code
 * succeeded}, a no vote {@code refused}, a commit {@code confirmed}, a rollback {@code cancelled}.
 *
 * <p>Presumed abort: a transaction found {@code begun} after a crash was never decided, so it is
 * rolled back; a participant asking for an unknown gid's outcome is told to roll back too.
 */
final class XaProcessor implements ModeProcessor {
  private final ModeContext ctx;
  private final ParticipantKind<XaParticipant> participants;
  private final Votes votes;
  private final HeldUntilCommit open;

  XaProcessor(ModeContext ctx, ParticipantKind<XaParticipant> participants) {
    this.ctx = ctx;
    this.participants = participants;
    this.votes = new Votes(ctx);
    this.open = new HeldUntilCommit(ctx);
  }

  @Override
  public Mode mode() {
    return Mode.XA;
  }

  @Override
  public Optional<ModeContract> clientContract() {
    return Optional.of(ModeContract.XA);
  }

  @Override
  public void checkBranch(BranchRecord branch) {
    ctx.participant(participants, branch.participant());
    if (branch.forward()) {
      throw new InvalidInputException(
          "forward recovery is for saga steps; an XA branch is always rolled back on rollback");
    }
  }

  @Override
  public void checkPlan(List<BranchRecord> branches) {
    if (branches.isEmpty()) {
      throw new InvalidDefinitionException(
          "an XA transaction needs at least one branch to prepare; register one first");
    }
  }

  @Override
  public void run(ModeTransaction tx) {
    List<Votes.Result> results =
        votes.collect(
            tx,
            List.copyOf(tx.branches()),
            (b, call) -> ctx.participant(participants, b.participant()).prepare(call),
            "prepare",
            tx.global().deadline(),
            tx.global().parallel());
    String reason = Votes.firstReason(results);
    Instant now = ctx.now();
    if (reason == null && now.isAfter(tx.global().deadline())) {
      reason = "the prepare phase ended after the deadline " + tx.global().deadline();
    }
    if (reason == null) {
      decideCommit(tx, now);
      return;
    }
    List<BranchWrite> writes = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      BranchRecord b = tx.branches().get(i);
      switch (results.get(i).vote()) {
        case YES -> writes.add(ctx.branchTo(tx, b, BranchStatus.SUCCEEDED));
        case NO -> writes.add(ctx.branchTo(tx, b, BranchStatus.REFUSED));
        case FAILED -> writes.add(ctx.branchFailed(b, results.get(i).detail()));
        case NOT_ASKED -> {}
      }
    }
    rollBack(tx, reason, writes);
  }

  /** The commit decision is durable before the first commit call: write-ahead. */
  private void decideCommit(ModeTransaction tx, Instant now) {
    Instant leaseUntil = now.plus(ctx.options().lease());
    boolean decided =
        ctx.transition(
            tx,
            GlobalStatus.COMMITTING,
            g ->
                g.withPhase(now, null, null)
                    .withSchedule(leaseUntil, leaseUntil, 0)
                    .withOwner(ctx.options().nodeId(), leaseUntil),
            List.of(ctx.advanceBranches(tx, BranchStatus.REGISTERED, BranchStatus.SUCCEEDED)));
    if (decided) {
      commitAll(tx);
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
      case BEGUN ->
          rollBack(
              tx,
              "the prepare phase was interrupted (the engine stopped or lost its lease); presumed"
                  + " abort",
              List.of());
      case COMMITTING -> commitAll(tx);
      case ROLLING_BACK -> rollBackAll(tx);
      default -> {}
    }
  }

  private void rollBack(ModeTransaction tx, String reason, List<BranchWrite> writes) {
    Instant now = ctx.now();
    boolean decided =
        ctx.transition(
            tx,
            GlobalStatus.ROLLING_BACK,
            g -> g.withPhase(now, null, reason).withSchedule(g.nextAttemptAt(), g.leaseUntil(), 0),
            writes);
    if (decided) {
      rollBackAll(tx);
    }
  }

  private void commitAll(ModeTransaction tx) {
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
        (b, call) -> ctx.participant(participants, b.participant()).commit(call),
        GlobalStatus.COMMITTED,
        false);
  }

  /** Every branch not yet final, also one whose prepare never answered (it may be prepared). */
  private void rollBackAll(ModeTransaction tx) {
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
        (b, call) -> ctx.participant(participants, b.participant()).rollback(call),
        GlobalStatus.ROLLED_BACK,
        false);
  }
}
