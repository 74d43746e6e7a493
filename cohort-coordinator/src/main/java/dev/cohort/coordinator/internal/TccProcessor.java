package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchContext;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.InvalidDefinitionException;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.api.Scheduler;
import dev.cohort.coordinator.TccParticipant;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCC: try every branch; all succeeded in time → the commit decision is written, then confirms;
 * otherwise the rollback decision is written, then every branch is cancelled, including those whose
 * try never answered. A TCC transaction found in the log still BEGUN lost its caller, so it is
 * rolled back (presumed abort).
 */
final class TccProcessor implements ModeProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(TccProcessor.class);

  static final ParticipantKind<TccParticipant> PARTICIPANTS =
      new ParticipantKind<>(Mode.TCC, TccParticipant.class, "TCC participant");

  private final ModeContext ctx;

  TccProcessor(ModeContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Mode mode() {
    return Mode.TCC;
  }

  @Override
  public Optional<ModeContract> clientContract() {
    return Optional.of(ModeContract.TCC);
  }

  /**
   * TCC participants hold a try until they hear confirm or cancel, and cohort-participant's
   * resolver asks for the outcome of one held too long, so a run may start unlogged.
   */
  @Override
  public boolean presumesAbort() {
    return true;
  }

  @Override
  public void checkBranch(BranchRecord branch) {
    ctx.participant(PARTICIPANTS, branch.participant());
    if (branch.forward()) {
      throw new InvalidInputException(
          "forward recovery is for saga steps; a TCC branch is always cancelled on rollback");
    }
  }

  @Override
  public void checkPlan(List<BranchRecord> branches) {
    if (branches.isEmpty()) {
      throw new InvalidDefinitionException(
          "a TCC transaction needs at least one branch; add one with branch(...)");
    }
  }

  /**
   * The caller's path: the transaction is begun (durable, or with presumed abort not written yet);
   * runs tries, decides, delivers.
   */
  @Override
  public void run(ModeTransaction tx) {
    List<BranchRecord> tried = List.copyOf(tx.branches());
    List<TryResult> results = tx.global().parallel() ? tryParallel(tx) : trySerial(tx, tried);
    if (!decide(tx, results) && tx.branches().isEmpty()) {
      // Presumed abort: a participant's outcome query recorded the gid rolled back while the
      // tries ran, so the decision's insert found it taken. Nothing in the log names these
      // branches; cancel them now rather than leave each to its participant's resolver.
      cancelUnlogged(tried, results);
    }
  }

  /** Writes the decision the tries call for and delivers it; false when the write lost its race. */
  private boolean decide(ModeTransaction tx, List<TryResult> results) {
    Instant now = ctx.now();
    String reason = null;
    List<BranchWrite> writes = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      TryResult r = results.get(i);
      BranchRecord b = tx.branches().get(i);
      if (r.outcome == TryOutcome.REFUSED) {
        writes.add(ctx.branchTo(tx, b, BranchStatus.REFUSED));
      } else if (r.outcome == TryOutcome.FAILED) {
        writes.add(ctx.branchFailed(b, r.detail));
      }
      if (r.outcome != TryOutcome.OK && reason == null) {
        reason = r.detail;
      }
    }
    if (reason == null && now.isAfter(tx.global().deadline())) {
      reason = "the try phase ended after the deadline " + tx.global().deadline();
    }
    if (reason == null) {
      return decideCommit(tx, now, attempts(results));
    }
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i).outcome == TryOutcome.OK) {
        writes.add(ctx.branchTo(tx, tx.branches().get(i), BranchStatus.SUCCEEDED));
      }
    }
    writes.addAll(attempts(results));
    return rollBack(tx, reason, writes);
  }

  /** Best effort: a failed cancel is left to the participant's resolver, which hears rollback. */
  private void cancelUnlogged(List<BranchRecord> tried, List<TryResult> results) {
    for (int i = 0; i < tried.size(); i++) {
      if (results.get(i).outcome == TryOutcome.NOT_TRIED) {
        continue;
      }
      BranchRecord b = tried.get(i);
      try {
        ctx.participant(PARTICIPANTS, b.participant())
            .cancel(new BranchContext(b.gid(), b.branchId(), b.payload(), 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        LOG.warn(
            "cancelling branch {}/{} after its gid was presumed aborted failed; its participant's"
                + " resolver settles it",
            b.gid(),
            b.branchId(),
            e);
      }
    }
  }

  /**
   * Writes the commit decision (every branch's try succeeded) and delivers the confirms. The caller
   * delivers them itself, so the lease moves to this node and keeps pollers off meanwhile.
   */
  private boolean decideCommit(ModeTransaction tx, Instant now, List<BranchWrite> tries) {
    Instant leaseUntil = now.plus(ctx.options().lease());
    List<BranchWrite> writes = new ArrayList<>();
    writes.add(ctx.advanceBranches(tx, BranchStatus.REGISTERED, BranchStatus.SUCCEEDED));
    writes.addAll(tries);
    boolean decided =
        ctx.transition(
            tx,
            GlobalStatus.COMMITTING,
            g ->
                g.withPhase(now, null, null)
                    .withSchedule(leaseUntil, leaseUntil, 0)
                    .withOwner(ctx.options().nodeId(), leaseUntil),
            writes);
    if (decided) {
      confirmAll(tx);
    }
    return decided;
  }

  /**
   * The incremental path: {@code branch} was just added to the open transaction; its try runs now,
   * alone, racing the deadline. A success leaves the branch REGISTERED until the commit decision
   * advances every branch at once; anything else rolls the whole transaction back.
   */
  @Override
  public void registered(ModeTransaction tx, BranchRecord branch) {
    TryResult r = trySerial(tx, List.of(branch)).getFirst();
    if (r.outcome == TryOutcome.OK) {
      return;
    }
    // A registration racing this rollback makes its compare-and-set miss (the transaction is still
    // OPEN, with one more branch): decide again on the fresh copy until it is no longer OPEN, so a
    // failed try can never be left behind for a later commit to confirm.
    for (int attempt = 0; attempt < Tx.MAX_OPEN_RACES; attempt++) {
      BranchRecord current = tx.branch(branch.branchId());
      List<BranchWrite> writes = new ArrayList<>();
      if (r.outcome == TryOutcome.REFUSED && current.status() == BranchStatus.REGISTERED) {
        writes.add(ctx.branchTo(tx, current, BranchStatus.REFUSED));
      } else if (r.outcome == TryOutcome.FAILED) {
        writes.add(ctx.branchFailed(current, r.detail));
      }
      // A successful try here writes nothing (the branch is already in the log), so only a
      // failed one reaches the attempt history on this path.
      if (r.attempt != null) {
        writes.add(r.attempt);
      }
      if (rollBack(tx, r.detail, writes) || tx.global().status() != GlobalStatus.OPEN) {
        return;
      }
    }
    throw new IllegalStateException(
        "transaction "
            + tx.global().gid()
            + " kept changing while its failed try was being rolled back; the poller rolls it back"
            + " at its deadline");
  }

  /** The incremental path's commit: every registered try has succeeded. */
  @Override
  public void commitOpen(ModeTransaction tx) {
    Instant now = ctx.now();
    if (now.isAfter(tx.global().deadline())) {
      rollBack(tx, "the commit arrived after the deadline " + tx.global().deadline(), List.of());
    } else if (tx.branches().isEmpty()) {
      ctx.transition(tx, GlobalStatus.COMMITTED, g -> g, List.of());
    } else {
      var unused = decideCommit(tx, now, List.of());
    }
  }

  /** Rolls an open transaction back: cancels every branch registered so far. */
  @Override
  public void abortOpen(ModeTransaction tx, String reason) {
    if (tx.branches().isEmpty()) {
      Instant now = ctx.now();
      ctx.transition(tx, GlobalStatus.ROLLED_BACK, g -> g.withPhase(now, null, reason), List.of());
    } else {
      rollBack(tx, reason, List.of());
    }
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
              "the try phase was interrupted (the engine stopped or lost its lease); presumed"
                  + " abort",
              List.of());
      case COMMITTING -> confirmAll(tx);
      case ROLLING_BACK -> cancelAll(tx);
      default -> {}
    }
  }

  /** Writes the rollback decision and cancels; false when someone moved the transaction first. */
  private boolean rollBack(ModeTransaction tx, String reason, List<BranchWrite> writes) {
    Instant now = ctx.now();
    boolean decided =
        ctx.transition(
            tx,
            GlobalStatus.ROLLING_BACK,
            // attempts restart for the delivery of the cancels (an OPEN one counted branches)
            g -> g.withPhase(now, null, reason).withSchedule(g.nextAttemptAt(), g.leaseUntil(), 0),
            writes);
    if (decided) {
      cancelAll(tx);
    }
    return decided;
  }

  private void confirmAll(ModeTransaction tx) {
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
        (b, call) -> ctx.participant(PARTICIPANTS, b.participant()).confirm(call),
        GlobalStatus.COMMITTED,
        false);
  }

  private void cancelAll(ModeTransaction tx) {
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
        (b, call) -> ctx.participant(PARTICIPANTS, b.participant()).cancel(call),
        GlobalStatus.ROLLED_BACK,
        false);
  }

  /**
   * Tries one branch after another on the executor, racing the deadline, so that a try which never
   * returns cannot hold the transaction past it: the try running when the deadline passes counts as
   * timed out, the ones after it are never started, and all of them are cancelled. One hop to the
   * executor per transaction, not per branch: the hop is what the guarantee costs.
   */
  private List<TryResult> trySerial(ModeTransaction tx, List<BranchRecord> branches) {
    int n = branches.size();
    AtomicReferenceArray<TryResult> answered = new AtomicReferenceArray<>(n);
    AtomicInteger running = new AtomicInteger(-1);
    return withDeadline(
        tx,
        deadline -> {
          CompletableFuture<Void> loop =
              CompletableFuture.runAsync(
                  () -> {
                    for (int i = 0; i < n; i++) {
                      if (deadline.isDone() || ctx.now().isAfter(tx.global().deadline())) {
                        return;
                      }
                      running.set(i);
                      TryResult r = tryOne(branches.get(i));
                      answered.set(i, r);
                      if (r.outcome != TryOutcome.OK) {
                        return;
                      }
                    }
                  },
                  ctx.executor());
          awaitFirst(loop, deadline);
          if (loop.isDone()) {
            joined(loop);
          }
          List<TryResult> results = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            TryResult r = answered.get(i);
            BranchRecord b = branches.get(i);
            if (r != null) {
              results.add(r);
            } else if (!results.isEmpty() && results.getLast().outcome != TryOutcome.OK) {
              results.add(new TryResult(TryOutcome.NOT_TRIED, null));
            } else if (i == running.get()) {
              results.add(timedOut(tx, b));
            } else {
              results.add(
                  new TryResult(
                      TryOutcome.NOT_TRIED,
                      "the deadline "
                          + tx.global().deadline()
                          + " passed before branch "
                          + b.branchId()));
            }
          }
          return results;
        });
  }

  /**
   * Runs all tries at once and waits until they are all back or the deadline passes (on the
   * injected scheduler, so tests control it). Tries still out are treated as failed; their cancel
   * is delivered anyway, and the participant's barrier turns a late try into a refusal.
   */
  private List<TryResult> tryParallel(ModeTransaction tx) {
    List<CompletableFuture<TryResult>> futures = new ArrayList<>();
    for (BranchRecord b : tx.branches()) {
      futures.add(CompletableFuture.supplyAsync(() -> tryOne(b), ctx.executor()));
    }
    return withDeadline(
        tx,
        deadline -> {
          awaitFirst(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)), deadline);
          List<TryResult> results = new ArrayList<>();
          for (int i = 0; i < futures.size(); i++) {
            CompletableFuture<TryResult> f = futures.get(i);
            results.add(f.isDone() ? joined(f) : timedOut(tx, tx.branches().get(i)));
          }
          return results;
        });
  }

  /**
   * Runs a try phase with a future that completes when the transaction's deadline passes, on the
   * injected scheduler so tests control it; the timer is cancelled when the phase ends.
   */
  private List<TryResult> withDeadline(
      ModeTransaction tx, Function<CompletableFuture<Void>, List<TryResult>> phase) {
    CompletableFuture<Void> deadline = new CompletableFuture<>();
    Duration remaining = Duration.between(ctx.now(), tx.global().deadline());
    Scheduler.Cancellable timer =
        ctx.scheduler().schedule(remaining, () -> deadline.complete(null));
    try {
      return phase.apply(deadline);
    } finally {
      timer.cancel();
    }
  }

  /**
   * The result of a finished try (or try loop). {@link #tryOne} turns every exception into a
   * result, so only an {@link Error} can escape it; it reaches the caller as itself, not wrapped.
   */
  private static <T> T joined(CompletableFuture<T> attempt) {
    try {
      return attempt.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }

  /** Waits until the tries or the deadline finish first; what each try did is read afterwards. */
  private static void awaitFirst(CompletableFuture<?> tries, CompletableFuture<Void> deadline) {
    var unused = CompletableFuture.anyOf(tries, deadline).handle((result, error) -> null).join();
  }

  private static TryResult timedOut(ModeTransaction tx, BranchRecord b) {
    return new TryResult(
        TryOutcome.TIMED_OUT,
        "branch "
            + b.branchId()
            + " did not answer its try before the deadline "
            + tx.global().deadline());
  }

  private TryResult tryOne(BranchRecord b) {
    BranchContext context = new BranchContext(b.gid(), b.branchId(), b.payload(), 1);
    Instant at = ctx.now();
    long started = System.nanoTime();
    try {
      TccParticipant participant = ctx.participant(PARTICIPANTS, b.participant());
      participant.tryReserve(context);
      return new TryResult(
          TryOutcome.OK, null, Attempts.tried(b, context, at, started, null, null));
    } catch (ParticipantRefusedException e) {
      String detail =
          "branch " + b.branchId() + " (" + b.participant() + ") refused: " + e.getMessage();
      return new TryResult(
          TryOutcome.REFUSED, detail, Attempts.tried(b, context, at, started, e, detail));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      String detail = ctx.describeFailure(b, e);
      return new TryResult(
          TryOutcome.FAILED, detail, Attempts.tried(b, context, at, started, e, detail));
    } catch (Exception e) {
      String detail = ctx.describeFailure(b, e);
      return new TryResult(
          TryOutcome.FAILED, detail, Attempts.tried(b, context, at, started, e, detail));
    }
  }

  /** The try calls that ended, for the write that records the outcome of the try phase. */
  private static List<BranchWrite> attempts(List<TryResult> results) {
    return results.stream().map(TryResult::attempt).filter(a -> a != null).toList();
  }

  private enum TryOutcome {
    OK,
    REFUSED,
    FAILED,
    TIMED_OUT,
    NOT_TRIED
  }

  /**
   * @param attempt the try call for the attempt history; null when no call ended (not tried)
   */
  private record TryResult(TryOutcome outcome, String detail, BranchWrite attempt) {
    TryResult(TryOutcome outcome, String detail) {
      this(outcome, detail, null);
    }
  }
}
