package dev.cohort.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.api.BranchContext;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.api.UnknownTransactionException;
import dev.cohort.client.Branch;
import dev.cohort.client.Cohort;
import dev.cohort.client.Transaction;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.mode.ModeContext;
import dev.cohort.coordinator.mode.ModeProcessor;
import dev.cohort.coordinator.mode.ModeTransaction;
import dev.cohort.coordinator.mode.ParticipantKind;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.LogUnit.BranchWrite;
import dev.cohort.protocol.ModeContract;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mode plugged into the coordinator is reachable through the SDK ({@link EmbeddedCohort}) with no
 * change to the SDK: the processor's {@link ModeContract} says how its branches are registered, and
 * {@code Coordinator.run} carries the one-shot path. "notify" tells every branch once the
 * transaction commits, so its branches wait for the commit (a lazy transaction keeps them).
 */
class PluggedModeEmbeddedTest {
  static final Mode NOTIFY = Mode.fromCode("notify");
  static final Mode SILENT = Mode.fromCode("silent");

  interface Recipient {
    void tell(BranchContext context) throws Exception;
  }

  static final ParticipantKind<Recipient> RECIPIENTS =
      new ParticipantKind<>(NOTIFY, Recipient.class, "notify recipient");

  /** Commit writes its decision, then tells every branch; abort skips them. */
  static class NotifyProcessor implements ModeProcessor {
    private final ModeContext ctx;

    NotifyProcessor(ModeContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Mode mode() {
      return NOTIFY;
    }

    @Override
    public Optional<ModeContract> clientContract() {
      return Optional.of(
          ModeContract.inProcess(NOTIFY, ModeContract.Registration.WAITS_FOR_COMMIT, false));
    }

    @Override
    public void checkBranch(BranchRecord branch) {
      ctx.participant(RECIPIENTS, branch.participant());
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

  /** A mode whose processor gives clients no contract: reachable from Java only. */
  static class SilentProcessor extends NotifyProcessor {
    SilentProcessor(ModeContext ctx) {
      super(ctx);
    }

    @Override
    public Mode mode() {
      return SILENT;
    }

    @Override
    public Optional<ModeContract> clientContract() {
      return Optional.empty();
    }
  }

  @TempDir Path logDir;

  private final List<String> told = new CopyOnWriteArrayList<>();
  private JdbcTransactionStore log;
  private Coordinator coordinator;
  private Cohort cohort;

  @BeforeEach
  void start() {
    log = JdbcTransactionStore.sqlite(logDir.resolve("log.db"));
    coordinator =
        Coordinator.builder(log).mode(NotifyProcessor::new).mode(SilentProcessor::new).build();
    coordinator.registerParticipant(
        RECIPIENTS, "mail", c -> told.add("mail " + c.branchId() + " " + c.payload()));
    cohort = EmbeddedCohort.of(coordinator.start());
  }

  @AfterEach
  void stop() {
    cohort.close();
    coordinator.close();
    log.close();
  }

  @Test
  void aOneShotTransactionOfThePluggedModeRunsThroughItsProcessor() {
    var outcome =
        cohort.run(
            NOTIFY,
            List.of(Branch.inProcess("a", "mail", "hi"), Branch.inProcess("b", "mail", "ho")));

    assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(told).containsExactly("mail a hi", "mail b ho");
    assertThat(cohort.status(outcome.gid()).mode()).isEqualTo(NOTIFY);
  }

  @Test
  void anOpenTransactionOfThePluggedModeRegistersAndCommits() {
    Transaction tx = cohort.begin(NOTIFY);
    tx.register(Branch.inProcess("a", "mail", "1"));

    assertThat(told).as("notify branches wait for the commit").isEmpty();
    assertThat(tx.commit().status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(told).containsExactly("mail a 1");
  }

  @Test
  void aLazyTransactionKeepsTheBranchesOfAModeThatWaitsForTheCommit() {
    Transaction tx = cohort.beginLazily(NOTIFY);
    tx.register(Branch.inProcess("a", "mail", "1"));
    tx.register(Branch.inProcess("b", "mail", "2"));

    assertThatThrownBy(() -> cohort.outcome(tx.gid()))
        .as("nothing reached the coordinator before the commit")
        .isInstanceOf(UnknownTransactionException.class);
    assertThat(tx.commit().status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(told).containsExactly("mail a 1", "mail b 2");
  }

  @Test
  void aModeWithoutAClientContractIsRefusedWithTheModesThatHaveOne() {
    for (Mode mode : List.of(SILENT, Mode.XA)) {
      assertThatThrownBy(() -> cohort.beginLazily(mode))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("tcc, saga, notify")
          .hasMessageContaining("was " + mode.code());
      assertThatThrownBy(() -> cohort.begin(mode)).isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> cohort.run(mode, List.of(Branch.inProcess("a", "mail", "1"))))
          .isInstanceOf(InvalidInputException.class);
    }
    // The engine still runs it for Java callers.
    assertThat(coordinator.open(SILENT, null, null).status()).isEqualTo(GlobalStatus.OPEN);
  }
}
