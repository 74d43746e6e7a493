package dev.cohort.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.coordinator.spi.LogUnit;
import dev.cohort.coordinator.spi.TransactionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

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

  @Test
  void aBranchThatJoinsWhileACommitIsDecidedIsConfirmedNotLeftBehind() {
    Gid gid = coordinator.open(Mode.TCC, null, null).gid();
    coordinator.register(gid, BranchId.of("x"), "a", "1", false);
    // The commit has read the transaction (branch x only); y joins before its decision is written.
    log.beforeWrite(
        unit ->
            unit.guard() instanceof LogUnit.Cas cas
                && cas.updated().status() == GlobalStatus.COMMITTING,
        () -> coordinator.register(gid, BranchId.of("y"), "b", "2", false));

    Outcome outcome = coordinator.commit(gid);

    assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.calls()).contains("a.confirm:x", "b.confirm:y");
    assertThat(branchStatuses(gid))
        .containsOnly(
            Map.entry("x", BranchStatus.CONFIRMED), Map.entry("y", BranchStatus.CONFIRMED));
  }

  @Test
  void aBranchThatJoinsWhileAnAbortIsDecidedIsCancelledToo() {
    Gid gid = coordinator.open(Mode.TCC, null, null).gid();
    log.beforeWrite(
        unit ->
            unit.guard() instanceof LogUnit.Cas cas
                && cas.updated().status() == GlobalStatus.ROLLED_BACK,
        () -> coordinator.register(gid, BranchId.of("y"), "b", "2", false));

    Outcome outcome = coordinator.abort(gid);

    assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(script.calls()).containsExactly("b.try:y", "b.cancel:y");
  }

  @Test
  void aRefusedTryRacingARegistrationStillRollsTheTransactionBack() {
    Gid gid = coordinator.open(Mode.TCC, null, null).gid();
    script.on("a.try", Script.refuse("no"));
    log.beforeWrite(
        unit ->
            unit.guard() instanceof LogUnit.Cas cas
                && cas.updated().status() == GlobalStatus.ROLLING_BACK,
        () -> coordinator.register(gid, BranchId.of("z"), "b", "2", false));

    Outcome refused = coordinator.register(gid, BranchId.of("x"), "a", "1", false);

    assertThat(refused.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(script.calls()).contains("a.cancel:x", "b.cancel:z");
    assertThat(branchStatuses(gid))
        .containsOnly(
            Map.entry("x", BranchStatus.CANCELLED), Map.entry("z", BranchStatus.CANCELLED));
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
