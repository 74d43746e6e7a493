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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Saga: runs steps in order. A step that fails with backward recovery (or is refused) writes the
 * rollback decision and compensates in reverse every step that ran or may have run; the failed step
 * itself is compensated too, because its action may have had an effect. A step with forward
 * recovery is retried with backoff until it succeeds.
 *
 * <p>Successes are not written one by one: they ride with the saga's next write (its final status,
 * a failure, a rollback decision), or are written on their own once {@link
 * dev.cohort.coordinator.CoordinatorOptions#sagaProgressEvery()} has passed since the run's last
 * write. A saga of three quick steps then costs two awaited log writes (begin and end) instead of
 * four. The price is paid only after a crash: the steps whose successes were not written yet are
 * called again (actions must accept a repeat anyway — a crash between an action and its record
 * always could repeat one), and a rollback decided by a run that resumed the saga compensates every
 * step after the first unrecorded one, since the crashed run may have reached them (a compensation
 * of an action that never ran is the empty compensation participants already handle).
 *
 * <p>The deadline rolls a saga back only while its next step is backward-recoverable; once the next
 * step is a forward one, the saga has passed its pivot and can only go forward. That is why the
 * unwritten successes are written before a forward step is called: a resumed run must never find
 * the pivot unrecorded and roll back a saga whose forward step already had its effect.
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
    forward(tx, true);
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
      case BEGUN -> forward(tx, false);
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
      forward(tx, true);
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

  /**
   * Runs the remaining steps; returns when the saga ends, rolls back or waits for a retry.
   *
   * @param fresh true when no earlier run can have called a step: the saga was begun or submitted
   *     by this very call. A resumed saga (after a crash, a takeover or a scheduled retry) may have
   *     had steps run beyond what the log records.
   */
  private void forward(ModeTransaction tx, boolean fresh) {
    Progress progress = new Progress(ctx.now());
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
            progress.unwritten(),
            fresh);
        return;
      }
      // The pivot: a forward step is never compensated, so before one can run the log must record
      // that every step before it succeeded — else a resumed run could roll back a saga whose
      // forward step already had its effect.
      if (step.forward() && progress.hasUnwritten() && !writeProgress(tx, progress)) {
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
        progress.add(ctx.branchTo(tx, step, BranchStatus.SUCCEEDED));
        progress.add(
            Attempts.record(step, BranchStatus.SUCCEEDED, context, at, started, null, null));
        boolean last = i == tx.branches().size() - 1;
        if (last) {
          ctx.transition(tx, GlobalStatus.COMMITTED, g -> g, progress.unwritten());
          return;
        }
        // A step that needed retries is written at once: that ends its retry window, and a resumed
        // run can trust that no step after a recorded failure ran (see frontierMayBeBehind).
        boolean writeNow =
            step.attempts() > 0 || progress.due(ctx.now(), ctx.options().sagaProgressEvery());
        if (writeNow && !writeProgress(tx, progress)) {
          return;
        }
        continue;
      } catch (ParticipantRefusedException e) {
        String reason =
            "step " + step.branchId() + " (" + step.participant() + ") refused: " + e.getMessage();
        progress.add(
            Attempts.record(step, BranchStatus.SUCCEEDED, context, at, started, e, reason));
        rollBack(tx, step, reason, BranchStatus.REFUSED, progress.unwritten(), fresh);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        error = ctx.describeFailure(step, e);
        failure = e;
      } catch (Exception e) {
        error = ctx.describeFailure(step, e);
        failure = e;
      }
      progress.add(
          Attempts.record(step, BranchStatus.SUCCEEDED, context, at, started, failure, error));
      if (step.forward()) {
        progress.add(ctx.branchFailed(step, error));
        ctx.retryOrFail(tx, progress.unwritten(), error, false);
      } else {
        rollBack(tx, step, error, null, progress.unwritten(), fresh);
      }
      return;
    }
    if (tx.global().status() == GlobalStatus.BEGUN) {
      // Every step succeeded but the final write was lost with a crash.
      ctx.transition(tx, GlobalStatus.COMMITTED, g -> g, List.of());
    }
  }

  /** Writes this run's unwritten successes on their own; false when the saga is no longer ours. */
  private boolean writeProgress(ModeTransaction tx, Progress progress) {
    boolean written =
        ctx.update(
            tx,
            g -> g.withPhase(null, null, null).withSchedule(g.nextAttemptAt(), g.leaseUntil(), 0),
            progress.unwritten());
    if (written) {
      progress.written(ctx.now());
    }
    return written;
  }

  /**
   * Writes the rollback decision, with the successes not written yet, and compensates.
   *
   * @param unwritten this run's writes not in the log yet (successes, the frontier's attempt)
   * @param fresh see {@link #forward}: whether the steps after the frontier certainly never ran
   */
  private void rollBack(
      ModeTransaction tx,
      BranchRecord frontier,
      String reason,
      BranchStatus frontierStatus,
      List<BranchWrite> unwritten,
      boolean fresh) {
    List<BranchWrite> writes = new ArrayList<>(unwritten);
    writes.add(
        frontierStatus == null
            ? ctx.branchFailed(frontier, reason)
            : ctx.branchTo(tx, frontier, frontierStatus));
    if (fresh || !frontierMayBeBehind(frontier)) {
      for (BranchRecord b : tx.branches()) {
        if (b.seq() > frontier.seq() && b.status() == BranchStatus.REGISTERED) {
          writes.add(ctx.branchTo(tx, b, BranchStatus.SKIPPED));
        }
      }
    }
    // else the steps after the frontier stay registered, so compensate() reaches them too.
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

  /**
   * Whether an earlier run may have gone past {@code frontier}, the first step the log does not
   * record as done: yes, unless the log records a failure of it (a failed call is written before
   * anything else happens, and its later success is written before the next step starts).
   */
  private static boolean frontierMayBeBehind(BranchRecord frontier) {
    return frontier.attempts() == 0;
  }

  /** This run's writes not yet in the log, and when it last wrote. */
  private static final class Progress {
    private final List<BranchWrite> unwritten = new ArrayList<>();
    private Instant lastWrite;

    Progress(Instant start) {
      this.lastWrite = start;
    }

    void add(BranchWrite write) {
      unwritten.add(write);
    }

    boolean hasUnwritten() {
      return !unwritten.isEmpty();
    }

    List<BranchWrite> unwritten() {
      return List.copyOf(unwritten);
    }

    boolean due(Instant now, Duration every) {
      return !now.isBefore(lastWrite.plus(every));
    }

    void written(Instant now) {
      unwritten.clear();
      lastWrite = now;
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
