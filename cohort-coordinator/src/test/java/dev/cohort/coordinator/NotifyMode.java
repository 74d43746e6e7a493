package dev.cohort.coordinator;

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
import dev.cohort.protocol.ModeContract;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A third mode written from outside the engine, through the public SPI only: "best-effort notify"
 * tells every branch once the client commits, retrying until each heard it; there is nothing to
 * undo. {@code PluggedModeTest} runs it on the engine and cohort-embedded's {@code
 * PluggedModeEmbeddedTest} through the SDK (this test-jar is shared for that).
 */
public final class NotifyMode {
  private NotifyMode() {}

  public static final Mode NOTIFY = Mode.fromCode("notify");

  /** The participant type the notify mode brings along. */
  public interface Recipient {
    void tell(BranchContext context) throws Exception;
  }

  public static final ParticipantKind<Recipient> RECIPIENTS =
      new ParticipantKind<>(NOTIFY, Recipient.class, "notify recipient");

  /** The whole mode: commit writes its decision, then tells every branch; abort skips them. */
  public static class NotifyProcessor implements ModeProcessor {
    private final ModeContext ctx;

    public NotifyProcessor(ModeContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Mode mode() {
      return NOTIFY;
    }

    /** Branches wait for the commit (the client keeps them), like saga steps; no parallel run. */
    @Override
    public Optional<ModeContract> clientContract() {
      return Optional.of(
          ModeContract.inProcess(NOTIFY, ModeContract.Registration.WAITS_FOR_COMMIT, false));
    }

    @Override
    public void checkBranch(BranchRecord branch) {
      ctx.participant(RECIPIENTS, branch.participant());
      if (branch.forward()) {
        throw new InvalidInputException("a notify branch is always retried; drop forward");
      }
    }

    @Override
    public void run(ModeTransaction tx) {
      decideAndTell(tx);
    }

    @Override
    public void commitOpen(ModeTransaction tx) {
      if (tx.branches().isEmpty()) {
        ctx.transition(tx, GlobalStatus.COMMITTED, g -> g, List.of());
      } else {
        decideAndTell(tx);
      }
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
        case OPEN -> abortOpen(tx, "not committed before its deadline");
        case BEGUN -> decideAndTell(tx);
        case COMMITTING -> tell(tx);
        default -> {}
      }
    }

    /** Write-ahead: the decision is durable before anyone is told. */
    private void decideAndTell(ModeTransaction tx) {
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
        tell(tx);
      }
    }

    private void tell(ModeTransaction tx) {
      List<BranchRecord> targets =
          tx.branches().stream().filter(b -> b.status() == BranchStatus.SUCCEEDED).toList();
      ctx.deliver(
          tx,
          targets,
          BranchStatus.CONFIRMED,
          (b, call) -> ctx.participant(RECIPIENTS, b.participant()).tell(call),
          GlobalStatus.COMMITTED,
          false);
    }
  }
}
