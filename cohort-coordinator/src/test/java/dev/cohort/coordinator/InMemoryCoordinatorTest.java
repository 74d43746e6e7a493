package dev.cohort.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.api.BranchStatus;
import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.spi.TransactionStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * The contract on the in-memory log, plus the coverage check: once every scenario ran, each legal
 * transition of both status tables must have happened at least once.
 */
class InMemoryCoordinatorTest extends IncrementalContract {
  private InMemoryStore log;

  @Override
  protected TransactionStore freshStore() {
    log = new InMemoryStore();
    return log;
  }

  @Override
  protected TransactionStore reopenStore() {
    return log;
  }

  @AfterAll
  static void everyLegalTransitionWasExercised() {
    List<String> missing = new ArrayList<>();
    for (List<GlobalStatus> t : GlobalStatus.legalTransitions()) {
      String key = "global:" + t.get(0) + "->" + t.get(1);
      if (!VISITED.contains(key)) {
        missing.add(key);
      }
    }
    for (List<BranchStatus> t : BranchStatus.legalTransitions()) {
      String key = "branch:" + t.get(0) + "->" + t.get(1);
      if (!VISITED.contains(key)) {
        missing.add(key);
      }
    }
    assertThat(missing).as("legal transitions no scenario exercised").isEmpty();
  }
}
