package dev.cohort.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.LogUnit;
import dev.cohort.coordinator.spi.TransactionStore;
import java.time.Duration;
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
  void aSagaOfQuickStepsIsBegunAndFinishedInTwoWrites() {
    Outcome outcome =
        coordinator.saga().step("debit", "1").step("reserve", "2").step("ship", "3").execute();

    assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(log.writes(outcome.gid())).isEqualTo(2);
    assertThat(branchStatuses(outcome.gid()).values()).containsOnly(BranchStatus.SUCCEEDED);
    assertThat(log.attempts(outcome.gid())).hasSize(3);
  }

  @Test
  void aSagaThatWritesEachStepTakesOneWritePerStep() {
    coordinator.close();
    coordinator =
        newCoordinator(log, options().toBuilder().sagaProgressEvery(Duration.ZERO).build());

    Outcome outcome =
        coordinator.saga().step("debit", "1").step("reserve", "2").step("ship", "3").execute();

    assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(log.writes(outcome.gid())).isEqualTo(4);
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

  @Test
  void aClaimedTransactionThatAnotherNodeFinishedMeanwhileIsNotDeliveredAgain() {
    script.on("b.confirm", Script.fail("down"));
    Outcome outcome = coordinator.tcc().branch("a", "1").branch("b", "2").execute();
    assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTING);
    Gid gid = outcome.gid();
    // Between this node's claim and its round, another node finishes the transaction.
    log.beforeWrite(
        unit -> unit.guard() instanceof LogUnit.Cas && unit.gid().equals(gid),
        () -> {
          GlobalRecord current = log.load(gid).orElseThrow().global();
          var unused =
              log.write(
                  new LogUnit(
                      new LogUnit.Cas(
                          GlobalStatus.COMMITTING,
                          current
                              .withStatus(GlobalStatus.COMMITTED, clock.instant())
                              .withOwner("other-node", clock.instant())),
                      List.of()));
        });
    long confirmsBefore = script.count("b.confirm:b2");

    scheduler.advance(Duration.ofSeconds(1)); // the retry is due: this node claims it

    assertThat(script.count("b.confirm:b2")).isEqualTo(confirmsBefore);
    assertThat(coordinator.find(gid).status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(coordinator.find(gid).global().owner()).isEqualTo("other-node");
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
