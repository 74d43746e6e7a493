package dev.cohort.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.client.Branch;
import dev.cohort.client.Cohort;
import dev.cohort.client.CohortContract;
import dev.cohort.client.Transaction;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.TccParticipant;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.participant.Keys;
import dev.cohort.protocol.CallSignature;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on an embedded coordinator with an SQLite log, plus what only embedded can do. */
class EmbeddedCohortTest extends CohortContract {
  @TempDir Path logDir;

  private final List<String> inProcessCalls = new CopyOnWriteArrayList<>();
  private JdbcTransactionStore log;
  private Coordinator coordinator;
  private HttpParticipant http;
  private Cohort cohort;

  @BeforeEach
  void startCoordinator() {
    log = JdbcTransactionStore.sqlite(logDir.resolve("log.db"));
    http = HttpParticipant.builder().signer(Keys.signature()).build();
    coordinator =
        Coordinator.builder(log)
            .build()
            .registerTcc(
                "local",
                TccParticipant.of(
                    c -> inProcessCalls.add("try " + c.payload()),
                    c -> inProcessCalls.add("confirm " + c.payload()),
                    c -> inProcessCalls.add("cancel " + c.payload())));
    cohort = EmbeddedCohort.start(coordinator, http);
  }

  @AfterEach
  void stopCoordinator() {
    cohort.close();
    coordinator.close();
    http.close();
    log.close();
  }

  @Override
  protected Cohort cohort() {
    return cohort;
  }

  @Override
  protected CallSignature participantVerifier() {
    return Keys.signature();
  }

  @Test
  void inProcessAndHttpBranchesMixInOneTransaction() {
    Transaction tx = cohort.begin(Mode.TCC);
    tx.register(Branch.inProcess("local", "local", "order-7"));

    assertThat(tx.commit().status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(inProcessCalls).containsExactly("try order-7", "confirm order-7");
  }

  @Test
  void registeringTheHttpParticipantAfterStartIsRefused() {
    try (JdbcTransactionStore other = JdbcTransactionStore.sqlite(logDir.resolve("other.db"));
        Coordinator started = Coordinator.builder(other).build().start()) {
      assertThatThrownBy(() -> EmbeddedCohort.start(started, http))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("register the HttpParticipant before start()");
    }
  }
}
