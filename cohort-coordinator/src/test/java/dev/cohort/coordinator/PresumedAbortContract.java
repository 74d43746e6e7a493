package dev.cohort.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.DuplicateTransactionException;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.coordinator.spi.AttemptRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One-shot TCC with presumed abort, on every log: nothing is written before the tries, the decision
 * is the first write, and a participant's outcome query for a gid the log does not know records it
 * rolled back, so that answer is final even while the tries still run.
 */
public abstract class PresumedAbortContract extends CoordinatorContract {

  @Test
  void presumedAbortWritesNothingBeforeTheDecisionAndCommitsAsUsual() {
    Gid gid = Gid.random();
    List<Boolean> inLogDuringTries = new ArrayList<>();
    script.on("a.try", () -> inLogDuringTries.add(store.load(gid).isPresent()));
    script.on("b.try", () -> inLogDuringTries.add(store.load(gid).isPresent()));

    Outcome outcome =
        coordinator.tcc().gid(gid).presumedAbort().branch("a", "1").branch("b", "2").execute();

    assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(inLogDuringTries).containsExactly(false, false);
    assertThat(branchStatuses(gid))
        .containsOnly(
            Map.entry("b1", BranchStatus.CONFIRMED), Map.entry("b2", BranchStatus.CONFIRMED));
    // The tries ride with the decision's insert, so the history is as complete as without.
    assertThat(store.attempts(gid))
        .extracting(a -> a.branchId().value(), AttemptRecord::operation, AttemptRecord::outcome)
        .containsExactlyInAnyOrder(
            tuple("b1", "try", AttemptRecord.Outcome.SUCCEEDED),
            tuple("b2", "try", AttemptRecord.Outcome.SUCCEEDED),
            tuple("b1", "confirm", AttemptRecord.Outcome.SUCCEEDED),
            tuple("b2", "confirm", AttemptRecord.Outcome.SUCCEEDED));
  }

  @Test
  void aRefusedTryUnderPresumedAbortIsRecordedAndEveryBranchCancelled() {
    script.on("b.try", Script.refuse("no stock"));

    Outcome outcome = coordinator.tcc().presumedAbort().branch("a", "1").branch("b", "2").execute();

    assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(outcome.reason()).contains("no stock");
    assertThat(script.calls())
        .contains("a.cancel:b1", "b.cancel:b2")
        .doesNotContain("a.confirm:b1");
    assertThat(branchStatuses(outcome.gid()))
        .containsOnly(
            Map.entry("b1", BranchStatus.CANCELLED), Map.entry("b2", BranchStatus.CANCELLED));
  }

  @Test
  void aParticipantAskingWhileTheTriesRunMakesTheTransactionRollBack() {
    Gid gid = Gid.random();
    // Another node answers the participant (the gid is not in the log, so nothing is held there).
    Coordinator other = newCoordinator(store, options("node-other"));
    List<TransactionView> answers = new ArrayList<>();
    script.on("b.try", () -> answers.add(other.outcomeForParticipant(gid)));

    Outcome outcome =
        coordinator.tcc().gid(gid).presumedAbort().branch("a", "1").branch("b", "2").execute();

    assertThat(answers)
        .singleElement()
        .satisfies(a -> {
          assertThat(a.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
          assertThat(a.branches()).isEmpty();
        });
    assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(outcome.reason()).isEqualTo(Coordinator.PRESUMED_ABORT);
    // The decision's insert found the gid taken: no confirm, and the tried branches are cancelled.
    assertThat(script.calls())
        .contains("a.cancel:b1", "b.cancel:b2")
        .doesNotContain("a.confirm:b1", "b.confirm:b2");
    assertThat(coordinator.find(gid).status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(coordinator.find(gid).branches()).isEmpty();
  }

  @Test
  void anUnknownGidAskedAboutIsRecordedRolledBackAndCanNeverBeRunAfterwards() {
    Gid gid = Gid.random();

    TransactionView first = coordinator.outcomeForParticipant(gid);
    TransactionView again = coordinator.outcomeForParticipant(gid);

    assertThat(first.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(first.global().reason()).isEqualTo(Coordinator.PRESUMED_ABORT);
    assertThat(again.global()).isEqualTo(first.global());
    assertThatThrownBy(() -> coordinator.tcc().gid(gid).presumedAbort().branch("a", "1").execute())
        .isInstanceOf(DuplicateTransactionException.class);
    assertThatThrownBy(() -> coordinator.tcc().gid(gid).branch("a", "1").execute())
        .isInstanceOf(DuplicateTransactionException.class);
    // A taken gid is found before any try: no participant was called for it.
    assertThat(script.calls()).isEmpty();
  }

  @Test
  void aKnownTransactionIsAnsweredAsTheLogHoldsItWithoutAWrite() {
    Outcome outcome = coordinator.tcc().branch("a", "1").execute();

    TransactionView answer = coordinator.outcomeForParticipant(outcome.gid());

    assertThat(answer.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(answer.branches()).extracting(b -> b.branchId().value()).containsExactly("b1");
  }

  @Test
  void aPresumedAbortTimeoutAsLongAsTheRetentionIsRefused() {
    Coordinator shortRetention =
        newCoordinator(store, options().toBuilder().retention(Duration.ofMinutes(5)).build());

    assertThatThrownBy(() ->
            shortRetention
                .tcc()
                .presumedAbort()
                .timeout(Duration.ofMinutes(5))
                .branch("a", "1")
                .execute())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("shorter than the log's retention");
    assertThat(script.calls()).isEmpty();
    assertThat(
            shortRetention
                .tcc()
                .presumedAbort()
                .timeout(Duration.ofMinutes(4))
                .branch("a", "1")
                .execute()
                .status())
        .isEqualTo(GlobalStatus.COMMITTED);
  }

  @Test
  void presumedAbortIsRefusedForAModeThatWritesBeforeItsBranchesRun() {
    Gid gid = Gid.random();
    List<BranchSpec> steps = List.of(new BranchSpec(BranchId.of("s1"), "debit", "1", false));

    assertThatThrownBy(
            () -> coordinator.run(Mode.SAGA, Duration.ofSeconds(5), gid, steps, false, true))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("presumed abort is for one-shot TCC");
    assertThat(store.load(gid)).isEmpty();
    assertThat(script.calls()).isEmpty();
  }
}
