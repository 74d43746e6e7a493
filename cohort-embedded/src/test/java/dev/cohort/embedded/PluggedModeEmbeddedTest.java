package dev.cohort.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.api.GlobalStatus;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.api.UnknownTransactionException;
import dev.cohort.client.Branch;
import dev.cohort.client.Cohort;
import dev.cohort.client.Transaction;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.NotifyMode;
import dev.cohort.coordinator.mode.ModeContext;
import dev.cohort.protocol.ModeContract;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.nio.file.Path;
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
  static final Mode NOTIFY = NotifyMode.NOTIFY;
  static final Mode SILENT = Mode.fromCode("silent");

  /** A mode whose processor gives clients no contract: reachable from Java only. */
  static class SilentProcessor extends NotifyMode.NotifyProcessor {
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
        Coordinator.builder(log)
            .mode(NotifyMode.NotifyProcessor::new)
            .mode(SilentProcessor::new)
            .build();
    coordinator.registerParticipant(
        NotifyMode.RECIPIENTS, "mail", c -> told.add("mail " + c.branchId() + " " + c.payload()));
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
