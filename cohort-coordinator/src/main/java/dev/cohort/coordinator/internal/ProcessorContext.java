package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchStatus;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Scheduler;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.mode.ModeContext;
import dev.cohort.coordinator.mode.ModeTransaction;
import dev.cohort.coordinator.mode.ParticipantKind;
import dev.cohort.coordinator.mode.PhaseTwoCall;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.LogUnit.AdvanceBranches;
import dev.cohort.coordinator.spi.LogUnit.BranchWrite;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/** The engine's half of {@link ModeContext}: the journal and delivery every processor shares. */
final class ProcessorContext implements ModeContext {
  private final Journal journal;
  private final Delivery delivery;
  private final Participants participants;
  private final CoordinatorOptions options;
  private final Scheduler scheduler;
  private final Executor executor;

  ProcessorContext(
      Journal journal,
      Delivery delivery,
      Participants participants,
      CoordinatorOptions options,
      Scheduler scheduler,
      Executor executor) {
    this.journal = journal;
    this.delivery = delivery;
    this.participants = participants;
    this.options = options;
    this.scheduler = scheduler;
    this.executor = executor;
  }

  @Override
  public Instant now() {
    return journal.now();
  }

  @Override
  public CoordinatorOptions options() {
    return options;
  }

  @Override
  public Scheduler scheduler() {
    return scheduler;
  }

  @Override
  public Executor executor() {
    return executor;
  }

  @Override
  public <T> T participant(ParticipantKind<T> kind, String name) {
    return participants.get(kind, name);
  }

  @Override
  public boolean transition(
      ModeTransaction tx,
      GlobalStatus to,
      UnaryOperator<GlobalRecord> change,
      List<BranchWrite> writes) {
    return journal.transition(Tx.of(tx), to, change, writes);
  }

  @Override
  public boolean update(
      ModeTransaction tx, UnaryOperator<GlobalRecord> change, List<BranchWrite> writes) {
    return journal.update(Tx.of(tx), change, writes);
  }

  @Override
  public BranchWrite branchTo(ModeTransaction tx, BranchRecord branch, BranchStatus to) {
    return journal.branchTo(Tx.of(tx), branch, to);
  }

  @Override
  public BranchWrite advanceBranches(ModeTransaction tx, BranchStatus from, BranchStatus to) {
    return new AdvanceBranches(tx.global().gid(), from, to);
  }

  @Override
  public BranchWrite branchFailed(BranchRecord branch, String error) {
    return journal.branchFailed(branch, error);
  }

  @Override
  public void deliver(
      ModeTransaction tx,
      List<BranchRecord> targets,
      BranchStatus done,
      PhaseTwoCall call,
      GlobalStatus terminal,
      boolean inOrder) {
    delivery.deliver(Tx.of(tx), targets, done, call, terminal, inOrder);
  }

  @Override
  public void retryOrFail(
      ModeTransaction tx, List<BranchWrite> writes, String error, boolean violation) {
    delivery.retryOrFail(Tx.of(tx), writes, error, violation);
  }

  @Override
  public String describeFailure(BranchRecord branch, Throwable e) {
    return Delivery.describe(branch, e);
  }
}
