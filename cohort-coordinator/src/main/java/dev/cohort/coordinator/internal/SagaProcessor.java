package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchContext;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.LogUnit.BranchWrite;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
  private final Journal journal;
  private final Delivery delivery;
  private final Participants participants;
  private final Duration lease;
  private final String nodeId;

  SagaProcessor(
      Journal journal,
      Delivery delivery,
      Participants participants,
      Duration lease,
      String nodeId) {
    this.lease = lease;
    this.nodeId = nodeId;
    this.journal = journal;
    this.delivery = delivery;
    this.participants = participants;
  }

  @Override
  public Mode mode() {
    return Mode.SAGA;
  }

  @Override
  public void resume(Tx tx) {
    switch (tx.global.status()) {
      case OPEN ->
          abortOpen(
              tx,
              "it was not submitted before its deadline " + tx.global.deadline() + "; rolled back");
      case BEGUN -> forward(tx);
      case ROLLING_BACK -> compensate(tx);
      default -> {}
    }
  }

  /**
   * The incremental path's submit: the steps registered so far run now, in order, on this node,
   * which takes the lease until the deadline (the same lease a saga begun in one call has).
   */
  void submitOpen(Tx tx) {
    Instant now = journal.now();
    if (now.isAfter(tx.global.deadline())) {
      abortOpen(tx, "it was submitted after its deadline " + tx.global.deadline());
      return;
    }
    if (tx.branches.isEmpty()) {
      journal.transition(tx, GlobalStatus.COMMITTED, g -> g, List.of());
      return;
    }
    Instant leaseUntil = tx.global.deadline().plus(lease);
    boolean submitted =
        journal.transition(
            tx,
            GlobalStatus.BEGUN,
            g -> g.withOwner(nodeId, leaseUntil).withSchedule(g.deadline(), leaseUntil, 0),
            List.of());
    if (submitted) {
      forward(tx);
    }
  }

  /** An unsubmitted saga ran nothing: every step is skipped and it ends at once. */
  void abortOpen(Tx tx, String reason) {
    List<BranchWrite> writes = new ArrayList<>();
    for (BranchRecord b : tx.branches) {
      writes.add(journal.branchTo(tx, b, BranchStatus.SKIPPED));
    }
    Instant now = journal.now();
    journal.transition(tx, GlobalStatus.ROLLED_BACK, g -> g.withPhase(now, null, reason), writes);
  }

  /** Runs the remaining steps; returns when the saga ends, rolls back or waits for a retry. */
  void forward(Tx tx) {
    for (int i = 0; i < tx.branches.size(); i++) {
      BranchRecord step = tx.branches.get(i);
      if (step.status() != BranchStatus.REGISTERED) {
        continue;
      }
      Instant now = journal.now();
      if (!step.forward() && now.isAfter(tx.global.deadline())) {
        rollBack(
            tx,
            step,
            "the saga passed its deadline "
                + tx.global.deadline()
                + " before step "
                + step.branchId(),
            null);
        return;
      }
      String error;
      try {
        participants
            .saga(step.participant())
            .action(
                new BranchContext(
                    step.gid(), step.branchId(), step.payload(), step.attempts() + 1));
        boolean last = i == tx.branches.size() - 1;
        List<BranchWrite> writes = List.of(journal.branchTo(tx, step, BranchStatus.SUCCEEDED));
        boolean written =
            last
                ? journal.transition(tx, GlobalStatus.COMMITTED, g -> g, writes)
                : journal.update(
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
        rollBack(
            tx,
            step,
            "step " + step.branchId() + " (" + step.participant() + ") refused: " + e.getMessage(),
            BranchStatus.REFUSED);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        error = Delivery.describe(step, e);
      } catch (Exception e) {
        error = Delivery.describe(step, e);
      }
      if (step.forward()) {
        delivery.retryOrFail(tx, List.of(journal.branchFailed(step, error)), error, false);
      } else {
        rollBack(tx, step, error, null);
      }
      return;
    }
    if (tx.global.status() == GlobalStatus.BEGUN) {
      // Every step succeeded but the final write was lost with a crash.
      journal.transition(tx, GlobalStatus.COMMITTED, g -> g, List.of());
    }
  }

  private void rollBack(Tx tx, BranchRecord frontier, String reason, BranchStatus frontierStatus) {
    List<BranchWrite> writes = new ArrayList<>();
    writes.add(
        frontierStatus == null
            ? journal.branchFailed(frontier, reason)
            : journal.branchTo(tx, frontier, frontierStatus));
    for (BranchRecord b : tx.branches) {
      if (b.seq() > frontier.seq() && b.status() == BranchStatus.REGISTERED) {
        writes.add(journal.branchTo(tx, b, BranchStatus.SKIPPED));
      }
    }
    Instant now = journal.now();
    boolean decided =
        journal.transition(
            tx,
            GlobalStatus.ROLLING_BACK,
            g -> g.withPhase(now, null, reason).withSchedule(g.nextAttemptAt(), g.leaseUntil(), 0),
            writes);
    if (decided) {
      compensate(tx);
    }
  }

  private void compensate(Tx tx) {
    List<BranchRecord> targets = new ArrayList<>();
    for (BranchRecord b : tx.branches.reversed()) {
      if (!b.status().isTerminal()) {
        targets.add(b);
      }
    }
    delivery.deliver(
        tx,
        targets,
        BranchStatus.COMPENSATED,
        (b, ctx) -> participants.saga(b.participant()).compensate(ctx),
        GlobalStatus.ROLLED_BACK,
        true);
  }
}
