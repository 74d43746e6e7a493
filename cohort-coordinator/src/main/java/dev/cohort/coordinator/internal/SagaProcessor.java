package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchContext;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.InvalidDefinitionException;
import dev.cohort.api.Mode;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.coordinator.SagaStep;
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
 * Saga: runs steps in order, recording each success before the next step starts. A step that fails
 * with backward recovery (or is refused) writes the rollback decision, marks the steps never
 * reached SKIPPED, and compensates the rest in reverse; the failed step itself is compensated too,
 * because its action may have had an effect. A step with forward recovery is retried with backoff
 * until it succeeds.
 *
 * <p>The deadline rolls a saga back only while its next step is backward-recoverable; once the next
 * step is a forward one, the saga has passed its pivot and can only go forward.
 */
final class SagaProcessor implements ModeProcessor {
  static final ParticipantKind<SagaStep> PARTICIPANTS =
      new ParticipantKind<>(Mode.SAGA, SagaStep.class, "saga step");

  private final ModeContext ctx;

  SagaProcessor(ModeContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Mode mode() {
    return Mode.SAGA;
  }

  @Override
  public Optional<ModeContract> clientContract() {
    return Optional.of(ModeContract.SAGA);
  }

  /** Any registered step; forward or backward recovery are both saga options. */
  @Override
  public void checkBranch(BranchRecord branch) {
    ctx.participant(PARTICIPANTS, branch.participant());
  }

  @Override
  public void checkPlan(List<BranchRecord> branches) {
    if (branches.isEmpty()) {
      throw new InvalidDefinitionException(
          "a saga needs at least one step; add one with step(...)");
    }
  }

  /** The one-call path: the saga is begun (durable); its steps run now, in order. */
  @Override
  public void run(ModeTransaction tx) {
    forward(tx);
  }

  @Override
  public void resume(ModeTransaction tx) {
    switch (tx.global().status()) {
      case OPEN ->
          abortOpen(
              tx,
              "it was not submitted before its deadline "
                  + tx.global().deadline()
                  + "; rolled back");
      case BEGUN -> forward(tx);
      case ROLLING_BACK -> compensate(tx);
      default -> {}
    }
  }

  /**
   * The incremental path's submit: the steps registered so far run now, in order, on this node,
   * which takes the lease (the same lease a saga begun in one call has, renewed while it runs).
   */
  @Override
  public void commitOpen(ModeTransaction tx) {
    Instant now = ctx.now();
    if (now.isAfter(tx.global().deadline())) {
      abortOpen(tx, "it was submitted after its deadline " + tx.global().deadline());
      return;
    }
    if (tx.branches().isEmpty()) {
      ctx.transition(tx, GlobalStatus.COMMITTED, g -> g, List.of());
      return;
    }
    Instant leaseUntil = now.plus(ctx.options().lease());
    boolean submitted =
        ctx.transition(
            tx,
            GlobalStatus.BEGUN,
            g ->
                g.withOwner(ctx.options().nodeId(), leaseUntil)
                    .withSchedule(leaseUntil, leaseUntil, 0),
            List.of());
    if (submitted) {
      forward(tx);
    }
  }

  /** An unsubmitted saga ran nothing: every step is skipped and it ends at once. */
  @Override
  public void abortOpen(ModeTransaction tx, String reason) {
    List<BranchWrite> writes = new ArrayList<>();
    for (BranchRecord b : tx.branches()) {
      writes.add(ctx.branchTo(tx, b, BranchStatus.SKIPPED));
    }
    Instant now = ctx.now();
    ctx.transition(tx, GlobalStatus.ROLLED_BACK, g -> g.withPhase(now, null, reason), writes);
  }

  /** Runs the remaining steps; returns when the saga ends, rolls back or waits for a retry. */
  private void forward(ModeTransaction tx) {
    for (int i = 0; i < tx.branches().size(); i++) {
      BranchRecord step = tx.branches().get(i);
      if (step.status() != BranchStatus.REGISTERED) {
        continue;
      }
      Instant now = ctx.now();
      if (!step.forward() && now.isAfter(tx.global().deadline())) {
        rollBack(
            tx,
            step,
            "the saga passed its deadline "
                + tx.global().deadline()
                + " before step "
                + step.branchId(),
            null,
            null);
        return;
      }
      String error;
      Throwable failure;
      BranchContext context =
          new BranchContext(step.gid(), step.branchId(), step.payload(), step.attempts() + 1);
      Instant at = ctx.now();
      long started = System.nanoTime();
      try {
        ctx.participant(PARTICIPANTS, step.participant()).action(context);
        boolean last = i == tx.branches().size() - 1;
        List<BranchWrite> writes =
            List.of(
                ctx.branchTo(tx, step, BranchStatus.SUCCEEDED),
                Attempts.record(step, BranchStatus.SUCCEEDED, context, at, started, null, null));
        boolean written =
            last
                ? ctx.transition(tx, GlobalStatus.COMMITTED, g -> g, writes)
                : ctx.update(
                    tx,
                    // A forward step's retry window ends with its success.
                    g ->
                        g.withPhase(null, null, null)
                            .withSchedule(g.nextAttemptAt(), g.leaseUntil(), 0),
                    writes);
        if (!written) {
          return;
        }
        continue;
      } catch (ParticipantRefusedException e) {
        String reason =
            "step " + step.branchId() + " (" + step.participant() + ") refused: " + e.getMessage();
        rollBack(
            tx,
            step,
            reason,
            BranchStatus.REFUSED,
            Attempts.record(step, BranchStatus.SUCCEEDED, context, at, started, e, reason));
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        error = ctx.describeFailure(step, e);
        failure = e;
      } catch (Exception e) {
        error = ctx.describeFailure(step, e);
        failure = e;
      }
      BranchWrite attempt =
          Attempts.record(step, BranchStatus.SUCCEEDED, context, at, started, failure, error);
      if (step.forward()) {
        ctx.retryOrFail(tx, List.of(ctx.branchFailed(step, error), attempt), error, false);
      } else {
        rollBack(tx, step, error, null, attempt);
      }
      return;
    }
    if (tx.global().status() == GlobalStatus.BEGUN) {
      // Every step succeeded but the final write was lost with a crash.
      ctx.transition(tx, GlobalStatus.COMMITTED, g -> g, List.of());
    }
  }

  /**
   * @param attempt the frontier's call that ended the forward run, or null when none did
   */
  private void rollBack(
      ModeTransaction tx,
      BranchRecord frontier,
      String reason,
      BranchStatus frontierStatus,
      BranchWrite attempt) {
    List<BranchWrite> writes = new ArrayList<>();
    if (attempt != null) {
      writes.add(attempt);
    }
    writes.add(
        frontierStatus == null
            ? ctx.branchFailed(frontier, reason)
            : ctx.branchTo(tx, frontier, frontierStatus));
    for (BranchRecord b : tx.branches()) {
      if (b.seq() > frontier.seq() && b.status() == BranchStatus.REGISTERED) {
        writes.add(ctx.branchTo(tx, b, BranchStatus.SKIPPED));
      }
    }
    Instant now = ctx.now();
    boolean decided =
        ctx.transition(
            tx,
            GlobalStatus.ROLLING_BACK,
            g -> g.withPhase(now, null, reason).withSchedule(g.nextAttemptAt(), g.leaseUntil(), 0),
            writes);
    if (decided) {
      compensate(tx);
    }
  }

  private void compensate(ModeTransaction tx) {
    List<BranchRecord> targets = new ArrayList<>();
    for (BranchRecord b : tx.branches().reversed()) {
      if (!b.status().isTerminal()) {
        targets.add(b);
      }
    }
    ctx.deliver(
        tx,
        targets,
        BranchStatus.COMPENSATED,
        (b, call) -> ctx.participant(PARTICIPANTS, b.participant()).compensate(call),
        GlobalStatus.ROLLED_BACK,
        true);
  }
}
