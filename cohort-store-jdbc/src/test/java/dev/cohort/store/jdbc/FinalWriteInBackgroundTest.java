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

/**
 * {@code awaitFinalWrite(false)}: the call returns after phase two, answering the decided status;
 * the log catches up.
 */
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

      // The answer is what the log holds when it is given: the decision, durable; never a
      // final status that a read right after could contradict.
      assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTING);
      assertThat(outcome.committed()).isTrue();
      assertThat(calls).containsExactly("try", "try", "confirm", "confirm");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> coordinator.find(outcome.gid()).status() == GlobalStatus.COMMITTED);
      assertThat(log.branches(outcome.gid()))
          .allMatch(b -> b.status() == dev.cohort.api.BranchStatus.CONFIRMED);
    }
  }

  @Test
  void noReadAfterAnAnswerShowsTheStatusGoingBackwards() {
    try (JdbcTransactionStore log = JdbcTransactionStore.sqlite(dir.resolve("log.db"));
        Coordinator coordinator =
            Coordinator.builder(log)
                .options(CoordinatorOptions.newBuilder().awaitFinalWrite(false).build())
                .build()) {
      coordinator.registerTcc("a", TccParticipant.of(ctx -> {}, ctx -> {}, ctx -> {}));
      coordinator.registerTcc(
          "refuses",
          TccParticipant.of(
              ctx -> {
                throw new dev.cohort.api.ParticipantRefusedException("no");
              },
              ctx -> {},
              ctx -> {}));
      coordinator.start();
      for (int i = 0; i < 200; i++) {
        boolean commits = i % 2 == 0;
        Outcome answer =
            coordinator.tcc().branch("a", "1").branch(commits ? "a" : "refuses", "2").execute();
        GlobalStatus read = coordinator.find(answer.gid()).status();
        GlobalStatus repeated =
            (commits ? coordinator.commit(answer.gid()) : coordinator.abort(answer.gid())).status();
        assertThat(List.of(read, repeated))
            .as("round %d answered %s", i, answer.status())
            .allMatch(s -> !answer.status().isTerminal() || s == answer.status());
      }
    }
  }
}
