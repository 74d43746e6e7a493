package dev.cohort.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Outcome;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.TccParticipant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code awaitFinalWrite(false)}: the call returns after phase two; the log catches up. */
class FinalWriteInBackgroundTest {
  @TempDir Path dir;

  @Test
  void theTerminalStatusReachesTheLogWithoutTheCallerWaiting() {
    List<String> calls = new CopyOnWriteArrayList<>();
    try (JdbcTransactionStore log = JdbcTransactionStore.sqlite(dir.resolve("log.db"));
        Coordinator coordinator =
            Coordinator.builder(log)
                .options(CoordinatorOptions.newBuilder().awaitFinalWrite(false).build())
                .build()) {
      coordinator.registerTcc(
          "a",
          TccParticipant.of(
              ctx -> calls.add("try"), ctx -> calls.add("confirm"), ctx -> calls.add("cancel")));
      coordinator.start();

      Outcome outcome = coordinator.tcc().branch("a", "1").branch("a", "2").execute();

      assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTED);
      assertThat(calls).containsExactly("try", "try", "confirm", "confirm");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> coordinator.find(outcome.gid()).status() == GlobalStatus.COMMITTED);
      assertThat(log.branches(outcome.gid()))
          .allMatch(b -> b.status() == dev.cohort.api.BranchStatus.CONFIRMED);
    }
  }
}
