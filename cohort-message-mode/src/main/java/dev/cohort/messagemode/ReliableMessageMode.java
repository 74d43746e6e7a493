package dev.cohort.messagemode;

import dev.cohort.api.BranchContext;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.mode.ModeContext;
import dev.cohort.coordinator.mode.ModeProcessor;
import dev.cohort.coordinator.mode.ModeTransaction;
import dev.cohort.coordinator.mode.ParticipantKind;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.LogUnit.BranchWrite;
import dev.cohort.protocol.BranchShape;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.protocol.ModeContract;
import dev.cohort.protocol.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reliable-message (two-phase message) mode, {@code msg}: the service <b>prepares</b> a
 * transaction whose first branch names its {@link LocalTransactionCheck} and whose other branches
 * are the {@link MessageReceiver}s; runs its <b>local transaction</b>, which writes the outbox row
 * with the gid as message id; then <b>submits</b> (commits). The coordinator writes the decision
 * and delivers to every receiver until each took it.
 *
 * <p>A submit that never arrives leaves the transaction open until its deadline; then the
 * coordinator <b>checks back</b>: committed → deliver as on submit; not committed → roll back (the
 * receivers hear nothing); the service cannot tell → ask again after a backoff. Register with
 * {@code Coordinator.builder(store).mode(ReliableMessageMode.Processor::new)}.
 */
public final class ReliableMessageMode {
  private ReliableMessageMode() {}

  public static final Mode MSG = Mode.fromCode("msg");

  /** The services that answer check-backs, by name; the first branch of each transaction. */
  public static final ParticipantKind<LocalTransactionCheck> CHECKS =
      new ParticipantKind<>(MSG, LocalTransactionCheck.class, "reliable-message check-back");

  /** The downstream services, by name; every branch after the first. */
  public static final ParticipantKind<MessageReceiver> RECEIVERS =
      new ParticipantKind<>(MSG, MessageReceiver.class, "reliable-message receiver");

  /** The processor; one per coordinator. */
  public static final class Processor implements ModeProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(Processor.class);
    private static final int MAX_BACKOFF_DOUBLINGS = 6;

    private final ModeContext ctx;

    public Processor(ModeContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Mode mode() {
      return MSG;
    }

    /**
     * Branches wait for the submit (the client keeps them), like saga steps; over HTTP each branch
     * has one URL, {@code check} for the first and {@code receive} for the others.
     */
    @Override
    public Optional<ModeContract> clientContract() {
      return Optional.of(
          new ModeContract(
              MSG,
              ModeContract.Registration.WAITS_FOR_COMMIT,
              false,
              Optional.of(BranchShape.MSG)));
    }

    @Override
    public void checkBranch(BranchRecord branch) {
      Operation call = branch.seq() == 0 ? Operation.CHECK : Operation.RECEIVE;
      if (branch.seq() == 0) {
        ctx.participant(CHECKS, branch.participant());
      } else {
        ctx.participant(RECEIVERS, branch.participant());
      }
      if (branch.participant().equals(HttpTarget.PARTICIPANT)) {
        HttpTarget target = HttpTarget.decode(branch.payload());
        if (!target.carries(call)) {
          throw new InvalidInputException(
              "branch "
                  + branch.branchId()
                  + (branch.seq() == 0
                      ? " is the check-back of a msg transaction (its first branch)"
                      : " is a receiver of a msg transaction (not its first branch)")
                  + ": give it a '"
                  + call.code()
                  + "' URL (it has "
                  + String.join(", ", target.urls().keySet().stream().map(Operation::code).toList())
                  + ")");
        }
      }
      if (branch.forward()) {
        throw new InvalidInputException(
            "a reliable-message branch is always retried until delivered; drop forward");
      }
    }

    @Override
    public void checkPlan(List<BranchRecord> branches) {
      if (branches.size() < 2) {
        throw new InvalidInputException(
            "a msg transaction needs its check-back branch first and at least one receiver after"
                + " it; it has "
                + branches.size()
                + " branch(es)");
      }
    }

    /** A one-shot plan has no local transaction between prepare and submit: deliver now. */
    @Override
    public void run(ModeTransaction tx) {
      decideAndDeliver(tx);
    }

    @Override
    public void commitOpen(ModeTransaction tx) {
      if (tx.branches().size() < 2) {
        throw new InvalidInputException(
            "a msg transaction is submitted with its check-back branch and at least one receiver;"
                + " register them before the submit");
      }
      decideAndDeliver(tx);
    }

    @Override
    public void abortOpen(ModeTransaction tx, String reason) {
      List<BranchWrite> writes = new ArrayList<>();
      for (BranchRecord b : tx.branches()) {
        writes.add(ctx.branchTo(tx, b, BranchStatus.SKIPPED));
      }
      Instant now = ctx.now();
      ctx.transition(tx, GlobalStatus.ROLLED_BACK, g -> g.withPhase(now, null, reason), writes);
    }

    @Override
    public void resume(ModeTransaction tx) {
      switch (tx.global().status()) {
        case OPEN -> checkBack(tx);
        case BEGUN -> decideAndDeliver(tx);
        case COMMITTING -> deliver(tx);
        default -> {}
      }
    }

    /** The submit did not come before the deadline: ask the service what its transaction did. */
    private void checkBack(ModeTransaction tx) {
      if (tx.branches().isEmpty()) {
        abortOpen(tx, "no check-back branch was registered before the deadline");
        return;
      }
      BranchRecord source = tx.branches().get(0);
      String gid = tx.global().gid().value();
      boolean committed;
      try {
        committed =
            ctx.participant(CHECKS, source.participant())
                .committed(
                    new BranchContext(
                        tx.global().gid(),
                        source.branchId(),
                        source.payload(),
                        source.attempts() + 1));
      } catch (Exception e) {
        String error = ctx.describeFailure(source, e);
        LOG.warn("check-back of {} failed, asking again later: {}", gid, error);
        // The global attempts count an open transaction's registrations; the check-back's own
        // failures are counted on its branch.
        Instant next = ctx.now().plus(backoff(source.attempts() + 1));
        ctx.update(
            tx,
            g -> g.withSchedule(next, next, g.attempts()),
            List.of(ctx.branchFailed(source, error)));
        return;
      }
      if (committed) {
        decideAndDeliver(tx);
      } else {
        abortOpen(tx, "submit lost; the check-back found the local transaction rolled back");
      }
    }

    private Duration backoff(int attempts) {
      Duration d = ctx.options().initialBackoff();
      for (int i = 1; i < Math.min(attempts, MAX_BACKOFF_DOUBLINGS); i++) {
        d = d.multipliedBy(2);
      }
      Duration max = ctx.options().maxBackoff();
      return d.compareTo(max) > 0 ? max : d;
    }

    /** Write-ahead: the decision is durable before any receiver hears it. */
    private void decideAndDeliver(ModeTransaction tx) {
      Instant now = ctx.now();
      Instant lease = now.plus(ctx.options().lease());
      boolean decided =
          ctx.transition(
              tx,
              GlobalStatus.COMMITTING,
              g ->
                  g.withPhase(now, null, null)
                      .withSchedule(lease, lease, 0)
                      .withOwner(ctx.options().nodeId(), lease),
              List.of(ctx.advanceBranches(tx, BranchStatus.REGISTERED, BranchStatus.SUCCEEDED)));
      if (decided) {
        deliver(tx);
      }
    }

    private void deliver(ModeTransaction tx) {
      List<BranchRecord> receivers =
          tx.branches().stream()
              .filter(b -> b.seq() != 0 && b.status() == BranchStatus.SUCCEEDED)
              .toList();
      // The check-back branch has nothing to deliver; it is done with the decision.
      List<BranchRecord> source =
          tx.branches().stream()
              .filter(b -> b.seq() == 0 && b.status() == BranchStatus.SUCCEEDED)
              .toList();
      if (!source.isEmpty()) {
        ctx.update(tx, g -> g, List.of(ctx.branchTo(tx, source.get(0), BranchStatus.CONFIRMED)));
      }
      ctx.deliver(
          tx,
          receivers,
          BranchStatus.CONFIRMED,
          (b, call) -> ctx.participant(RECEIVERS, b.participant()).receive(call),
          GlobalStatus.COMMITTED,
          false);
    }
  }
}
