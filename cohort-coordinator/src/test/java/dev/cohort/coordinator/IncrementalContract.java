package dev.cohort.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.DuplicateBranchException;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.IllegalOperationException;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.api.UnknownParticipantException;
import dev.cohort.api.UnknownTransactionException;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.TransactionStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The incremental API (open, register, commit, abort: what a remote client uses) and the operator
 * search, on every log. Extends the engine contracts so every log runs them all.
 */
public abstract class IncrementalContract extends PresumedAbortContract {
  private Gid open(Mode mode) {
    Outcome opened = coordinator.open(mode, Duration.ofSeconds(10), null);
    assertThat(opened.status()).isEqualTo(GlobalStatus.OPEN);
    return opened.gid();
  }

  private Outcome register(Gid gid, String id, String participant) {
    return coordinator.register(gid, BranchId.of(id), participant, "p-" + id, false);
  }

  @Test
  void tccTriesEachBranchAsItRegistersAndConfirmsOnCommit() {
    Gid gid = open(Mode.TCC);

    assertThat(register(gid, "x", "a").status()).isEqualTo(GlobalStatus.OPEN);
    assertThat(script.calls()).containsExactly("a.try:x");
    assertThat(register(gid, "y", "b").status()).isEqualTo(GlobalStatus.OPEN);
    assertThat(branchStatuses(gid)).containsValues(BranchStatus.REGISTERED);

    Outcome committed = coordinator.commit(gid);

    assertThat(committed.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.calls()).containsExactly("a.try:x", "b.try:y", "a.confirm:x", "b.confirm:y");
    assertThat(branchStatuses(gid))
        .containsOnly(
            Map.entry("x", BranchStatus.CONFIRMED), Map.entry("y", BranchStatus.CONFIRMED));
    assertThat(coordinator.commit(gid).status())
        .as("commit is idempotent")
        .isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.count("a.confirm:x")).isEqualTo(1);
  }

  @Test
  void aRefusedTryRollsTheWholeTransactionBackAtOnce() {
    Gid gid = open(Mode.TCC);
    register(gid, "x", "a");
    script.on("b.try", Script.refuse("out of stock"));

    Outcome refused = register(gid, "y", "b");

    assertThat(refused.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(refused.reason()).contains("out of stock");
    assertThat(script.calls()).contains("a.cancel:x", "b.cancel:y");
    assertThat(coordinator.abort(gid).status())
        .as("abort after a rollback reports it")
        .isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThatThrownBy(() -> coordinator.commit(gid))
        .isInstanceOf(IllegalOperationException.class)
        .hasMessageContaining("rolled back")
        .hasMessageContaining("out of stock");
    assertThatThrownBy(() -> register(gid, "z", "c"))
        .isInstanceOf(IllegalOperationException.class)
        .hasMessageContaining("only an open transaction");
  }

  @Test
  void abortCancelsWhatWasTried() {
    Gid gid = open(Mode.TCC);
    register(gid, "x", "a");

    Outcome aborted = coordinator.abort(gid);

    assertThat(aborted.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(aborted.reason()).contains("aborted by the client");
    assertThat(script.calls()).containsExactly("a.try:x", "a.cancel:x");
  }

  @Test
  void transactionsWithoutBranchesEndInOneWrite() {
    Gid committed = open(Mode.TCC);
    assertThat(coordinator.commit(committed).status()).isEqualTo(GlobalStatus.COMMITTED);
    Gid aborted = open(Mode.TCC);
    assertThat(coordinator.abort(aborted).status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    Gid saga = open(Mode.SAGA);
    assertThat(coordinator.commit(saga).status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.calls()).isEmpty();
  }

  /** A coordinator on this test's log that counts the log writes it makes. */
  private Coordinator counting(AtomicInteger writes) {
    TransactionStore log = store;
    TransactionStore counted =
        (TransactionStore)
            Proxy.newProxyInstance(
                TransactionStore.class.getClassLoader(),
                new Class<?>[] {TransactionStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("write")) {
                    writes.incrementAndGet();
                  }
                  try {
                    return method.invoke(log, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    return newCoordinator(counted);
  }

  private static BranchSpec spec(String id, String participant) {
    return new BranchSpec(BranchId.of(id), participant, "p-" + id, false);
  }

  @Test
  void openingWithAFirstBranchWritesBothAtOnceAndTriesIt() {
    AtomicInteger writes = new AtomicInteger();
    Coordinator lean = counting(writes);

    Outcome opened = lean.open(Mode.TCC, Duration.ofSeconds(10), null, spec("x", "a"));

    assertThat(opened.status()).isEqualTo(GlobalStatus.OPEN);
    assertThat(writes).as("transaction and branch in one write").hasValue(1);
    assertThat(script.calls()).containsExactly("a.try:x");
    assertThat(lean.find(opened.gid()).global().attempts())
        .as("an open transaction counts its registrations")
        .isEqualTo(1);
    assertThat(register(opened.gid(), "y", "b").status()).isEqualTo(GlobalStatus.OPEN);
    assertThat(coordinator.commit(opened.gid()).status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.calls()).containsExactly("a.try:x", "b.try:y", "a.confirm:x", "b.confirm:y");
  }

  @Test
  void aFirstBranchWhoseTryRefusesRollsTheNewTransactionBack() {
    script.on("a.try", Script.refuse("no credit"));

    Outcome refused = coordinator.open(Mode.TCC, null, null, spec("x", "a"));

    assertThat(refused.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(refused.reason()).contains("no credit");
    assertThat(script.calls()).containsExactly("a.try:x", "a.cancel:x");
    assertThat(status(refused.gid())).isEqualTo(GlobalStatus.ROLLED_BACK);
  }

  @Test
  void openingWithAFirstBranchUnderAnExistingGidJoinsThatTransaction() {
    Gid gid = open(Mode.SAGA);
    register(gid, "s1", "debit");

    Outcome joined = coordinator.open(Mode.SAGA, null, gid, spec("s2", "reserve"));

    assertThat(joined.gid()).isEqualTo(gid);
    assertThat(joined.status()).isEqualTo(GlobalStatus.OPEN);
    assertThat(coordinator.find(gid).branches())
        .extracting(b -> b.branchId().value())
        .containsExactly("s1", "s2");
    assertThatThrownBy(() -> coordinator.open(Mode.SAGA, null, gid, spec("s2", "reserve")))
        .as("the same branch twice is still a duplicate")
        .isInstanceOf(DuplicateBranchException.class);
    assertThatThrownBy(() -> coordinator.open(Mode.TCC, null, gid, spec("x", "a")))
        .as("a TCC branch cannot join a saga")
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("exists as saga, not tcc");
    assertThatThrownBy(() -> coordinator.commitEmpty(Mode.TCC, gid))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("exists as saga, not tcc");
    assertThat(coordinator.commit(gid).status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.calls()).containsExactly("debit.action:s1", "reserve.action:s2");
  }

  @Test
  void anEmptyCommitIsOneWriteAndRepeatingItIsSafe() {
    AtomicInteger writes = new AtomicInteger();
    Coordinator lean = counting(writes);
    Gid gid = Gid.of("empty-" + Gid.random().value());

    Outcome committed = lean.commitEmpty(Mode.TCC, gid);

    assertThat(committed).isEqualTo(new Outcome(gid, GlobalStatus.COMMITTED, null));
    assertThat(writes).hasValue(1);
    assertThat(lean.find(gid).branches()).isEmpty();
    assertThat(lean.find(gid).global().mode()).isEqualTo(Mode.TCC);
    assertThat(lean.commitEmpty(Mode.TCC, gid).status())
        .as("a repeated request after a lost answer")
        .isEqualTo(GlobalStatus.COMMITTED);
    assertThat(lean.commitEmpty(Mode.SAGA, null).status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.calls()).isEmpty();
  }

  @Test
  void anEmptyCommitOfAGidThatHasBranchesCommitsThem() {
    Gid gid = open(Mode.TCC);
    register(gid, "x", "a");

    Outcome outcome = coordinator.commitEmpty(Mode.TCC, gid);

    assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.calls()).containsExactly("a.try:x", "a.confirm:x");
  }

  @Test
  void badLeanCallsAreTypedErrorsThatWriteNothing() {
    Gid gid = Gid.of("lean-bad-" + Gid.random().value());
    assertThatThrownBy(() -> coordinator.open(Mode.TCC, null, gid, spec("x", "nobody")))
        .isInstanceOf(UnknownParticipantException.class);
    assertThatThrownBy(() ->
            coordinator.open(
                Mode.TCC, null, gid, new BranchSpec(BranchId.of("x"), "a", null, true)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("forward recovery is for saga steps");
    assertThatThrownBy(() -> coordinator.open(Mode.TCC, null, gid, null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("needs the branch");
    assertThatThrownBy(() -> coordinator.open(Mode.XA, null, gid, spec("x", "a")))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> coordinator.commitEmpty(null, gid))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new BranchSpec(BranchId.of("x"), " ", null, false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("registered participant");
    assertThatThrownBy(() -> coordinator.find(gid)).isInstanceOf(UnknownTransactionException.class);
    assertThat(script.calls()).isEmpty();
  }

  @Test
  void sagaStepsRunOnlyWhenSubmittedInRegistrationOrder() {
    Gid gid = open(Mode.SAGA);
    register(gid, "s1", "debit");
    register(gid, "s2", "reserve");
    coordinator.register(gid, BranchId.of("s3"), "ship", "p", true);
    assertThat(script.calls()).isEmpty();

    Outcome outcome = coordinator.commit(gid);

    assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.calls())
        .containsExactly("debit.action:s1", "reserve.action:s2", "ship.action:s3");
  }

  @Test
  void aSubmittedSagaCompensatesOnRefusal() {
    Gid gid = open(Mode.SAGA);
    register(gid, "s1", "debit");
    register(gid, "s2", "reserve");
    script.on("reserve.action", Script.refuse("sold out"));

    Outcome outcome = coordinator.commit(gid);

    assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(script.calls()).contains("reserve.compensate:s2", "debit.compensate:s1");
    assertThat(coordinator.abort(gid).status()).isEqualTo(GlobalStatus.ROLLED_BACK);
  }

  @Test
  void anAbortedSagaRanNothingAndSkipsItsSteps() {
    Gid gid = open(Mode.SAGA);
    register(gid, "s1", "debit");

    assertThat(coordinator.abort(gid).status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(branchStatuses(gid)).containsOnly(Map.entry("s1", BranchStatus.SKIPPED));
    assertThat(script.calls()).isEmpty();
  }

  @Test
  void anOpenTransactionPastItsDeadlineIsRolledBackByThePoller() {
    Gid tcc = open(Mode.TCC);
    register(tcc, "x", "a");
    Gid saga = open(Mode.SAGA);
    register(saga, "s1", "debit");

    clock.advance(Duration.ofSeconds(5));
    coordinator.pollNow();
    assertThat(status(tcc)).as("the deadline has not passed").isEqualTo(GlobalStatus.OPEN);

    clock.advance(Duration.ofSeconds(6));
    coordinator.pollNow();

    assertThat(status(tcc)).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(coordinator.find(tcc).global().reason()).contains("deadline");
    assertThat(script.calls()).contains("a.cancel:x").doesNotContain("debit.action:s1");
    assertThat(status(saga)).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(branchStatuses(saga)).containsOnly(Map.entry("s1", BranchStatus.SKIPPED));
  }

  @Test
  void aCommitAfterTheDeadlineRollsBackInstead() {
    Gid gid = open(Mode.TCC);
    register(gid, "x", "a");
    clock.advance(Duration.ofSeconds(11));

    Outcome outcome = coordinator.commit(gid);

    assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(outcome.reason()).contains("after the deadline");
    assertThat(script.calls()).containsExactly("a.try:x", "a.cancel:x");
  }

  @Test
  void anyEngineOnTheSameLogCanContinueATransaction() {
    Gid gid = open(Mode.TCC);
    register(gid, "x", "a");
    Coordinator other = newCoordinator(store, options("node-b"));

    assertThat(other.register(gid, BranchId.of("y"), "b", "p", false).status())
        .isEqualTo(GlobalStatus.OPEN);
    assertThat(other.commit(gid).status()).isEqualTo(GlobalStatus.COMMITTED);

    assertThat(coordinator.find(gid).global().owner()).isEqualTo("node-b");
    assertThat(script.calls()).contains("a.confirm:x", "b.confirm:y");
  }

  @Test
  void badIncrementalCallsAreTypedErrorsThatChangeNothing() {
    Gid gid = open(Mode.TCC);
    register(gid, "x", "a");

    assertThatThrownBy(() -> register(gid, "x", "b")).isInstanceOf(DuplicateBranchException.class);
    assertThatThrownBy(() -> register(gid, "y", "debit"))
        .isInstanceOf(UnknownParticipantException.class)
        .hasMessageContaining("'debit'");
    assertThatThrownBy(() -> coordinator.register(gid, BranchId.of("y"), "b", "p", true))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("forward recovery is for saga steps");
    assertThatThrownBy(() -> coordinator.retryNow(gid))
        .isInstanceOf(IllegalOperationException.class)
        .hasMessageContaining("it is open");
    assertThatThrownBy(() -> register(Gid.of("nope"), "x", "a"))
        .isInstanceOf(UnknownTransactionException.class);
    assertThatThrownBy(() -> coordinator.open(Mode.TCC, Duration.ZERO, null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("timeout must be positive");
    assertThatThrownBy(() -> coordinator.open(Mode.TCC, null, gid))
        .hasMessageContaining(gid.value());
    assertThat(branchStatuses(gid)).containsOnly(Map.entry("x", BranchStatus.REGISTERED));

    coordinator.commit(gid);
    assertThatThrownBy(() -> coordinator.abort(gid))
        .isInstanceOf(IllegalOperationException.class)
        .hasMessageContaining("can no longer be aborted");
  }

  @Test
  void searchFiltersByStatusModeAgeAndTextAndPages() {
    Outcome tcc = coordinator.tcc().gid(Gid.of("order-1")).branch("a", "sku-RED").execute();
    clock.advance(Duration.ofMinutes(1));
    Gid open = coordinator.open(Mode.SAGA, null, Gid.of("order-2")).gid();
    script.on("a.try", Script.refuse("no stock for you"));
    Outcome refused = coordinator.tcc().gid(Gid.of("order-3")).branch("a", "x").execute();

    assertThat(gids(TransactionQuery.all(10))).containsExactly("order-1", "order-2", "order-3");
    assertThat(gids(TransactionQuery.all(10).withStatuses(GlobalStatus.OPEN)))
        .containsExactly("order-2");
    assertThat(gids(TransactionQuery.all(10).withMode(Mode.TCC)))
        .containsExactly("order-1", "order-3");
    assertThat(gids(TransactionQuery.all(10).withCreated(null, START.plusSeconds(30))))
        .containsExactly("order-1");
    assertThat(gids(TransactionQuery.all(10).withText("STOCK FOR"))).containsExactly("order-3");
    assertThat(gids(TransactionQuery.all(10).withText("sku-red"))).containsExactly("order-1");
    assertThat(gids(TransactionQuery.all(10).withText("100%_!"))).isEmpty();
    assertThat(gids(TransactionQuery.all(2))).containsExactly("order-1", "order-2");
    assertThat(gids(TransactionQuery.all(2).after(open))).containsExactly("order-3");

    Map<GlobalStatus, Long> counts = store.countByStatus();
    assertThat(counts)
        .containsEntry(GlobalStatus.COMMITTED, 1L)
        .containsEntry(GlobalStatus.OPEN, 1L)
        .containsEntry(GlobalStatus.ROLLED_BACK, 1L);
    assertThat(tcc.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(refused.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThatThrownBy(() -> TransactionQuery.all(0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("limit must be between 1 and 500");
    assertThatThrownBy(() -> TransactionQuery.all(5).withCreated(START, START.minusSeconds(1)))
        .hasMessageContaining("earlier than");
  }

  @Test
  void finishedTransactionsArePurgedAfterTheRetentionButFailedOnesStay() {
    Outcome old = coordinator.tcc().branch("a", "1").execute();
    script.alwaysFail("b.confirm");
    Outcome stuck = coordinator.tcc().branch("b", "1").execute();
    scheduler.advance(RETRY_WINDOW.plusMinutes(5));
    assertThat(status(stuck.gid())).isEqualTo(GlobalStatus.FAILED);
    clock.advance(CoordinatorOptions.DEFAULT_RETENTION);
    Outcome recent = coordinator.tcc().branch("a", "2").execute();

    assertThat(coordinator.purgeFinished()).isEqualTo(1);

    assertThatThrownBy(() -> coordinator.find(old.gid()))
        .isInstanceOf(UnknownTransactionException.class);
    assertThat(status(stuck.gid())).isEqualTo(GlobalStatus.FAILED);
    assertThat(status(recent.gid())).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(coordinator.purgeFinished()).isZero();
  }

  private List<String> gids(TransactionQuery query) {
    return coordinator.search(query).stream().map(GlobalRecord::gid).map(Gid::value).toList();
  }
}
