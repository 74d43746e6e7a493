package dev.cohort.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.DuplicateBranchException;
import dev.cohort.api.DuplicateTransactionException;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.IllegalOperationException;
import dev.cohort.api.InvalidDefinitionException;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.api.UnknownParticipantException;
import dev.cohort.api.UnknownTransactionException;
import dev.cohort.coordinator.spi.AttemptRecord;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.TransactionStore;
import dev.cohort.testing.time.ManualScheduler;
import dev.cohort.testing.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's behaviour, run against every log implementation: a subclass supplies a fresh log.
 * Time is a {@link MutableClock} and retries run when the test advances the {@link
 * ManualScheduler}; nothing sleeps.
 */
public abstract class CoordinatorContract {
  /** Every global and branch transition any engine in this JVM made durable, as "from->to". */
  protected static final Set<String> VISITED = ConcurrentHashMap.newKeySet();

  protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  protected static final Duration RETRY_WINDOW = Duration.ofMinutes(1);

  protected MutableClock clock;
  protected ManualScheduler scheduler;
  protected Script script;
  protected TransactionStore store;
  protected Coordinator coordinator;
  protected final List<FailureAlert> alerts = new ArrayList<>();
  protected final List<Coordinator> opened = new ArrayList<>();
  private String nodeId;

  /** A log with no transactions in it; closed by the test. */
  protected abstract TransactionStore freshStore();

  /** The same log again, as a restarted process would open it. */
  protected abstract TransactionStore reopenStore();

  @BeforeEach
  void setUpEngine() {
    clock = new MutableClock(START);
    scheduler = new ManualScheduler(clock);
    script = new Script();
    nodeId = "node-" + Gid.random().value().substring(0, 8);
    store = freshStore();
    coordinator = newCoordinator(store);
  }

  @AfterEach
  void closeEngines() {
    opened.forEach(Coordinator::close);
    store.close();
  }

  protected CoordinatorOptions options() {
    return options(nodeId);
  }

  protected CoordinatorOptions options(String node) {
    return CoordinatorOptions.newBuilder()
        .nodeId(node)
        .defaultTimeout(Duration.ofSeconds(10))
        .initialBackoff(Duration.ofSeconds(1))
        .backoffMultiplier(2.0)
        .maxBackoff(Duration.ofSeconds(8))
        .jitter(0.0)
        .retryWindow(RETRY_WINDOW)
        .pollInterval(Duration.ofHours(1))
        .build();
  }

  protected Coordinator newCoordinator(TransactionStore log) {
    return newCoordinator(log, options());
  }

  protected Coordinator newCoordinator(TransactionStore log, CoordinatorOptions engineOptions) {
    Coordinator c =
        Coordinator.builder(log)
            .options(engineOptions)
            .clock(clock)
            .scheduler(scheduler)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .deliveryExecutor(Runnable::run)
            .listener(
                new CoordinatorListener() {
                  @Override
                  public void onTransition(Gid gid, GlobalStatus from, GlobalStatus to) {
                    if (from != null) {
                      VISITED.add("global:" + from + "->" + to);
                    }
                    if (to == GlobalStatus.COMMITTED) {
                      throw new IllegalStateException("listeners may throw; the engine goes on");
                    }
                  }

                  @Override
                  public void onBranchTransition(
                      Gid gid, BranchId branch, BranchStatus from, BranchStatus to) {
                    VISITED.add("branch:" + from + "->" + to);
                  }

                  @Override
                  public void onFailed(FailureAlert alert) {
                    synchronized (alerts) {
                      alerts.add(alert);
                    }
                    throw new IllegalStateException("listeners may throw; the engine goes on");
                  }
                })
            .build();
    for (String name : List.of("a", "b", "c")) {
      c.registerTcc(name, script.tcc(name));
    }
    for (String name : List.of("debit", "reserve", "ship")) {
      c.registerSagaStep(name, script.saga(name));
    }
    opened.add(c);
    return c.start();
  }

  protected Map<String, BranchStatus> branchStatuses(Gid gid) {
    return coordinator.find(gid).branches().stream()
        .collect(Collectors.toMap(b -> b.branchId().value(), BranchRecord::status));
  }

  protected GlobalStatus status(Gid gid) {
    return coordinator.find(gid).status();
  }

  // ---------------------------------------------------------------- TCC

  @Test
  void tccCommitsWhenEveryTrySucceeds() {
    Outcome outcome = coordinator.tcc().branch("a", "p1").branch("b", "p2").execute();

    assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.calls())
        .containsExactly("a.try:b1", "b.try:b2", "a.confirm:b1", "b.confirm:b2");
    assertThat(branchStatuses(outcome.gid()))
        .containsOnly(
            Map.entry("b1", BranchStatus.CONFIRMED), Map.entry("b2", BranchStatus.CONFIRMED));
  }

  @Test
  void tccParallelTriesCommitToo() {
    Outcome outcome =
        coordinator.tcc().parallel().branch("a", "1").branch("b", "2").branch("c", "3").execute();

    assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.calls())
        .contains("a.try:b1", "b.try:b2", "c.try:b3", "a.confirm:b1", "c.confirm:b3");
  }

  @Test
  void tccRefusalCancelsEveryBranchIncludingTheRefusedOne() {
    script.on("b.try", Script.refuse("insufficient funds"));

    Outcome outcome = coordinator.tcc().branch("a", "1").branch("b", "2").execute();

    assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(outcome.reason()).contains("b2").contains("insufficient funds");
    assertThat(script.calls())
        .contains("a.cancel:b1", "b.cancel:b2")
        .doesNotContain("a.confirm:b1");
    assertThat(branchStatuses(outcome.gid())).containsValues(BranchStatus.CANCELLED);
  }

  @Test
  void tccTryThrowingCancelsAllBranchesAndNamesTheException() {
    script.on("b.try", Script.fail("connection reset"));

    Outcome outcome =
        coordinator.tcc().branch("a", "1").branch("b", "2").branch("c", "3").execute();

    assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(outcome.reason()).contains("IllegalStateException").contains("connection reset");
    // c was never tried but is cancelled anyway: its try might still arrive later.
    assertThat(script.calls()).doesNotContain("c.try:b3").contains("c.cancel:b3");
    assertThat(branchStatuses(outcome.gid()).values()).containsOnly(BranchStatus.CANCELLED);
  }

  @Test
  void tccTryPhasePastTheDeadlineRollsBack() {
    script.on("b.try", () -> clock.advance(Duration.ofSeconds(11)));

    Outcome outcome =
        coordinator
            .tcc()
            .timeout(Duration.ofSeconds(10))
            .branch("a", "1")
            .branch("b", "2")
            .execute();

    assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(outcome.reason()).contains("deadline");
    assertThat(script.calls()).contains("a.cancel:b1", "b.cancel:b2");
  }

  @Test
  void tccParallelTryThatNeverAnswersIsCancelledAtTheDeadline() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    script.on("b.try", () -> release.await(1, TimeUnit.MINUTES));
    try {
      CompletableFuture<Outcome> running =
          CompletableFuture.supplyAsync(() ->
              coordinator
                  .tcc()
                  .parallel()
                  .timeout(Duration.ofSeconds(5))
                  .branch("a", "1")
                  .branch("b", "2")
                  .execute());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> script.calls().contains("b.try:b2") && !scheduler.pendingDelays().isEmpty());

      scheduler.advance(Duration.ofSeconds(5));

      Outcome outcome = running.get(10, TimeUnit.SECONDS);
      assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
      assertThat(outcome.reason()).contains("did not answer its try");
      assertThat(script.calls()).contains("a.cancel:b1", "b.cancel:b2");
    } finally {
      release.countDown();
    }
  }

  @Test
  void tccSerialTryThatNeverAnswersIsCancelledAtTheDeadline() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    script.on("b.try", () -> release.await(1, TimeUnit.MINUTES));
    try {
      CompletableFuture<Outcome> running =
          CompletableFuture.supplyAsync(() ->
              coordinator
                  .tcc()
                  .timeout(Duration.ofSeconds(5))
                  .branch("a", "1")
                  .branch("b", "2")
                  .branch("c", "3")
                  .execute());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> script.calls().contains("b.try:b2") && !scheduler.pendingDelays().isEmpty());

      scheduler.advance(Duration.ofSeconds(5));

      Outcome outcome = running.get(10, TimeUnit.SECONDS);
      assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
      assertThat(outcome.reason()).contains("b2 did not answer its try");
      // c comes after the hung try: never tried, cancelled all the same.
      assertThat(script.calls())
          .doesNotContain("c.try:b3")
          .contains("a.cancel:b1", "b.cancel:b2", "c.cancel:b3");
    } finally {
      release.countDown();
    }
  }

  @Test
  void everyCallToABranchIsInTheAttemptHistoryWithItsOutcome() {
    script.on("b.confirm", Script.fail("down 1"), Script.fail("down 2"));

    Outcome outcome = coordinator.tcc().branch("a", "1").branch("b", "2").execute();
    scheduler.advance(Duration.ofSeconds(1));
    scheduler.advance(Duration.ofSeconds(2));
    assertThat(status(outcome.gid())).isEqualTo(GlobalStatus.COMMITTED);

    assertThat(store.attempts(outcome.gid()))
        .extracting(
            a -> a.branchId().value(),
            AttemptRecord::operation,
            AttemptRecord::attempt,
            AttemptRecord::outcome)
        .containsExactlyInAnyOrder(
            tuple("b1", "try", 1, AttemptRecord.Outcome.SUCCEEDED),
            tuple("b2", "try", 1, AttemptRecord.Outcome.SUCCEEDED),
            tuple("b1", "confirm", 1, AttemptRecord.Outcome.SUCCEEDED),
            tuple("b2", "confirm", 1, AttemptRecord.Outcome.FAILED),
            tuple("b2", "confirm", 2, AttemptRecord.Outcome.FAILED),
            tuple("b2", "confirm", 3, AttemptRecord.Outcome.SUCCEEDED));
    assertThat(store.attempts(outcome.gid()))
        .filteredOn(a -> a.outcome() == AttemptRecord.Outcome.FAILED)
        .extracting(AttemptRecord::error, AttemptRecord::at)
        .containsExactlyInAnyOrder(
            tuple("branch b2 (b) threw java.lang.IllegalStateException: down 1", START),
            tuple(
                "branch b2 (b) threw java.lang.IllegalStateException: down 2",
                START.plusSeconds(1)));
  }

  @Test
  void aSagaStepsActionsAndCompensationsAreInTheAttemptHistory() {
    script.on("reserve.action", Script.refuse("sold out"));

    Outcome outcome = coordinator.saga().step("debit", "1").step("reserve", "2").execute();

    assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(store.attempts(outcome.gid()))
        .extracting(AttemptRecord::operation, AttemptRecord::outcome)
        .containsExactlyInAnyOrder(
            tuple("action", AttemptRecord.Outcome.SUCCEEDED),
            tuple("action", AttemptRecord.Outcome.REFUSED),
            // the refused step is compensated too: its action may have done part of its work
            tuple("compensate", AttemptRecord.Outcome.SUCCEEDED),
            tuple("compensate", AttemptRecord.Outcome.SUCCEEDED));
  }

  @Test
  void confirmsAreRetriedWithExponentialBackoffUntilTheySucceed() {
    script.on("b.confirm", Script.fail("down 1"), Script.fail("down 2"), Script.fail("down 3"));

    Outcome outcome = coordinator.tcc().branch("a", "1").branch("b", "2").execute();

    assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTING);
    assertThat(scheduler.pendingDelays()).contains(Duration.ofSeconds(1));
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(scheduler.pendingDelays()).contains(Duration.ofSeconds(2));
    scheduler.advance(Duration.ofSeconds(2));
    assertThat(scheduler.pendingDelays()).contains(Duration.ofSeconds(4));
    assertThat(status(outcome.gid())).isEqualTo(GlobalStatus.COMMITTING);
    scheduler.advance(Duration.ofSeconds(4));

    assertThat(status(outcome.gid())).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.count("b.confirm:b2")).isEqualTo(4);
    // a succeeded in the first round and is not called again.
    assertThat(script.count("a.confirm:b1")).isEqualTo(1);
    BranchRecord b = coordinator.find(outcome.gid()).branches().get(1);
    assertThat(b.attempts()).isEqualTo(3);
    assertThat(b.lastError()).contains("down 3");
  }

  @Test
  void deliveryGivesUpAfterTheWindowRaisesAnAlertAndWaitsForAnOperator() {
    script.alwaysFail("a.confirm");
    Outcome outcome = coordinator.tcc().branch("a", "1").execute();

    for (int i = 0; i < 20 && status(outcome.gid()) != GlobalStatus.FAILED; i++) {
      scheduler.advance(Duration.ofSeconds(8));
    }

    assertThat(status(outcome.gid())).isEqualTo(GlobalStatus.FAILED);
    assertThat(alerts).hasSize(1);
    FailureAlert alert = alerts.getFirst();
    assertThat(alert.gid()).isEqualTo(outcome.gid());
    assertThat(alert.stuckIn()).isEqualTo(GlobalStatus.COMMITTING);
    assertThat(alert.elapsed()).isGreaterThanOrEqualTo(RETRY_WINDOW);
    assertThat(alert.reason()).contains("a.confirm is down");
    long callsWhenFailed = script.count("a.confirm:b1");
    scheduler.advance(Duration.ofHours(2));
    assertThat(script.count("a.confirm:b1")).as("a FAILED one waits").isEqualTo(callsWhenFailed);

    script.heal("a.confirm");
    Outcome retried = coordinator.retryNow(outcome.gid());
    assertThat(retried.status()).isEqualTo(GlobalStatus.COMMITTED);
  }

  @Test
  void anOperatorCanResolveAFailedRollback() {
    script.on("b.try", Script.refuse("no"));
    script.alwaysFail("a.cancel");
    Outcome outcome = coordinator.tcc().branch("a", "1").branch("b", "2").execute();
    for (int i = 0; i < 20 && status(outcome.gid()) != GlobalStatus.FAILED; i++) {
      scheduler.advance(Duration.ofSeconds(8));
    }
    assertThat(status(outcome.gid())).isEqualTo(GlobalStatus.FAILED);

    Outcome resolved = coordinator.markResolved(outcome.gid(), "refunded by hand, ticket 42");

    assertThat(resolved.status()).isEqualTo(GlobalStatus.RESOLVED);
    assertThat(coordinator.find(outcome.gid()).global().reason()).contains("ticket 42");
  }

  @Test
  void aFailedRollbackCanBeRetriedByAnOperator() {
    script.on("a.try", Script.refuse("no"));
    script.alwaysFail("a.cancel");
    Outcome outcome = coordinator.tcc().branch("a", "1").execute();
    for (int i = 0; i < 20 && status(outcome.gid()) != GlobalStatus.FAILED; i++) {
      scheduler.advance(Duration.ofSeconds(8));
    }
    script.heal("a.cancel");

    assertThat(coordinator.retryNow(outcome.gid()).status()).isEqualTo(GlobalStatus.ROLLED_BACK);
  }

  @Test
  void aConfirmThatRefusesIsAContractViolationAndFailsAtOnce() {
    script.on("a.confirm", Script.refuse("already shipped"));

    Outcome outcome = coordinator.tcc().branch("a", "1").execute();

    assertThat(outcome.status()).isEqualTo(GlobalStatus.FAILED);
    assertThat(outcome.reason()).contains("must not do in phase two").contains("already shipped");
    assertThat(alerts).hasSize(1);
  }

  // ---------------------------------------------------------------- Saga

  @Test
  void sagaCommitsWhenEveryStepSucceeds() {
    Outcome outcome =
        coordinator.saga().step("debit", "1").step("reserve", "2").step("ship", "3").execute();

    assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.calls())
        .containsExactly("debit.action:s1", "reserve.action:s2", "ship.action:s3");
    assertThat(branchStatuses(outcome.gid()).values()).containsOnly(BranchStatus.SUCCEEDED);
  }

  @Test
  void sagaRefusalCompensatesCompletedStepsInReverse() {
    script.on("reserve.action", Script.refuse("out of stock"));

    Outcome outcome =
        coordinator.saga().step("debit", "1").step("reserve", "2").step("ship", "3").execute();

    assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(outcome.reason()).contains("out of stock");
    assertThat(script.calls())
        .containsExactly(
            "debit.action:s1", "reserve.action:s2", "reserve.compensate:s2", "debit.compensate:s1");
    assertThat(branchStatuses(outcome.gid()))
        .containsEntry("s1", BranchStatus.COMPENSATED)
        .containsEntry("s2", BranchStatus.COMPENSATED)
        .containsEntry("s3", BranchStatus.SKIPPED);
  }

  @Test
  void sagaStepThrowingWithBackwardRecoveryRollsBack() {
    script.on("reserve.action", Script.fail("timeout talking to stock"));
    script.on("debit.compensate", Script.fail("refund service down"));

    Outcome outcome = coordinator.saga().step("debit", "1").step("reserve", "2").execute();

    assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLING_BACK);
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(status(outcome.gid())).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(script.count("reserve.compensate:s2")).isEqualTo(1);
    assertThat(script.count("debit.compensate:s1")).isEqualTo(2);
  }

  @Test
  void sagaStepWithForwardRecoveryIsRetriedUntilItSucceeds() {
    script.on("ship.action", Script.fail("carrier down"), Script.fail("carrier down"));

    Outcome outcome = coordinator.saga().step("debit", "1").forwardStep("ship", "2").execute();

    assertThat(outcome.status()).isEqualTo(GlobalStatus.BEGUN);
    scheduler.advance(Duration.ofSeconds(1));
    scheduler.advance(Duration.ofSeconds(2));
    assertThat(status(outcome.gid())).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.count("ship.action:s2")).isEqualTo(3);
    assertThat(script.calls()).noneMatch(call -> call.contains("compensate"));
  }

  @Test
  void forwardStepPastTheWindowFailsAndCanBeRetried() {
    script.alwaysFail("ship.action");
    Outcome outcome = coordinator.saga().forwardStep("ship", "1").execute();
    for (int i = 0; i < 20 && status(outcome.gid()) != GlobalStatus.FAILED; i++) {
      scheduler.advance(Duration.ofSeconds(8));
    }
    assertThat(status(outcome.gid())).isEqualTo(GlobalStatus.FAILED);
    assertThat(alerts.getFirst().stuckIn()).isEqualTo(GlobalStatus.BEGUN);

    script.heal("ship.action");
    assertThat(coordinator.retryNow(outcome.gid()).status()).isEqualTo(GlobalStatus.COMMITTED);
  }

  @Test
  void sagaPastItsDeadlineRollsBackBeforeTheNextBackwardStep() {
    script.on("debit.action", () -> clock.advance(Duration.ofMinutes(1)));

    Outcome outcome =
        coordinator
            .saga()
            .timeout(Duration.ofSeconds(30))
            .step("debit", "1")
            .step("reserve", "2")
            .execute();

    assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(outcome.reason()).contains("deadline");
    assertThat(script.calls()).doesNotContain("reserve.action:s2").contains("debit.compensate:s1");
  }

  @Test
  void sagaFromJsonRunsRegisteredSteps() {
    SagaDefinition definition =
        SagaDefinition.fromJson(
            """
            {"timeout": "PT20S",
             "steps": [
               {"id": "pay", "action": "debit", "payload": {"cents": 500}},
               {"action": "ship", "payload": "sku-1", "recovery": "forward"}]}
            """);

    Outcome outcome = coordinator.execute(definition);

    assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.calls()).containsExactly("debit.action:pay", "ship.action:s2");
    assertThat(coordinator.find(outcome.gid()).branches().getFirst().payload())
        .isEqualTo("{\"cents\":500}");
  }

  // ---------------------------------------------------------------- recovery

  @Test
  void aRestartedEngineFinishesConfirmsItWasDelivering() {
    script.alwaysFail("b.confirm");
    Outcome outcome = coordinator.tcc().branch("a", "1").branch("b", "2").execute();
    assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTING);
    coordinator.close();
    script.heal("b.confirm");

    coordinator = newCoordinator(reopenStore());

    assertThat(status(outcome.gid())).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.count("a.confirm:b1")).isEqualTo(1);
  }

  @Test
  void aRestartedEngineRollsBackATryPhaseItLost() {
    crashOn("b.try");
    Gid gid = Gid.random();
    assertThatThrownBy(() -> coordinator.tcc().gid(gid).branch("a", "1").branch("b", "2").execute())
        .isInstanceOf(SimulatedCrash.class);
    assertThat(status(gid)).isEqualTo(GlobalStatus.BEGUN);
    coordinator.close();

    coordinator = newCoordinator(reopenStore());

    assertThat(status(gid)).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(script.calls()).contains("a.cancel:b1", "b.cancel:b2");
  }

  @Test
  void aRestartedEngineContinuesASagaForward() {
    crashOn("reserve.action");
    Gid gid = Gid.random();
    assertThatThrownBy(
            () -> coordinator.saga().gid(gid).step("debit", "1").step("reserve", "2").execute())
        .isInstanceOf(SimulatedCrash.class);
    coordinator.close();

    coordinator = newCoordinator(reopenStore());

    assertThat(status(gid)).isEqualTo(GlobalStatus.COMMITTED);
    // debit's success was to ride with the saga's next write, which the crash prevented: called
    // again, as a crash between an action and its record always could.
    assertThat(script.count("debit.action:s1")).isEqualTo(2);
    assertThat(script.count("reserve.action:s2")).isEqualTo(2);
  }

  @Test
  void aSagaThatWritesEachStepRepeatsOnlyTheStepTheCrashInterrupted() {
    coordinator.close();
    coordinator =
        newCoordinator(store, options().toBuilder().sagaProgressEvery(Duration.ZERO).build());
    crashOn("reserve.action");
    Gid gid = Gid.random();
    assertThatThrownBy(
            () -> coordinator.saga().gid(gid).step("debit", "1").step("reserve", "2").execute())
        .isInstanceOf(SimulatedCrash.class);
    coordinator.close();

    coordinator = newCoordinator(reopenStore());

    assertThat(status(gid)).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.count("debit.action:s1")).isEqualTo(1);
    assertThat(script.count("reserve.action:s2")).isEqualTo(2);
  }

  @Test
  void aSagaSlowerThanTheProgressIntervalWritesItsProgress() {
    script.on("debit.action", () -> clock.advance(CoordinatorOptions.DEFAULT_SAGA_PROGRESS_EVERY));
    crashOn("reserve.action");
    Gid gid = Gid.random();
    assertThatThrownBy(() ->
            coordinator
                .saga()
                .gid(gid)
                .step("debit", "1")
                .step("reserve", "2")
                .step("ship", "3")
                .execute())
        .isInstanceOf(SimulatedCrash.class);
    assertThat(branchStatuses(gid))
        .containsEntry("s1", BranchStatus.SUCCEEDED)
        .containsEntry("s2", BranchStatus.REGISTERED);
    coordinator.close();

    coordinator = newCoordinator(reopenStore());

    assertThat(status(gid)).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.count("debit.action:s1")).isEqualTo(1);
  }

  @Test
  void aRollbackAfterACrashCompensatesEveryStepTheCrashedRunMayHaveReached() {
    crashOn("ship.action");
    Gid gid = Gid.random();
    assertThatThrownBy(() ->
            coordinator
                .saga()
                .gid(gid)
                .step("debit", "1")
                .step("reserve", "2")
                .step("ship", "3")
                .execute())
        .isInstanceOf(SimulatedCrash.class);
    // The log still has every step registered: debit and reserve ran, nothing recorded it.
    assertThat(branchStatuses(gid).values()).containsOnly(BranchStatus.REGISTERED);
    coordinator.close();
    clock.advance(Duration.ofMinutes(1)); // past the deadline: the saga must roll back

    coordinator = newCoordinator(reopenStore());

    assertThat(status(gid)).isEqualTo(GlobalStatus.ROLLED_BACK);
    // No action again (past the deadline); every step compensated in reverse, ship's too.
    assertThat(script.calls())
        .containsExactly(
            "debit.action:s1",
            "reserve.action:s2",
            "ship.action:s3",
            "ship.compensate:s3",
            "reserve.compensate:s2",
            "debit.compensate:s1");
    assertThat(branchStatuses(gid).values()).containsOnly(BranchStatus.COMPENSATED);
  }

  @Test
  void aSagaThatCrashedInItsForwardStepGoesOnForwardEvenPastItsDeadline() {
    crashOn("reserve.action");
    Gid gid = Gid.random();
    assertThatThrownBy(() ->
            coordinator.saga().gid(gid).step("debit", "1").forwardStep("reserve", "2").execute())
        .isInstanceOf(SimulatedCrash.class);
    // The pivot was recorded before the forward step was called.
    assertThat(branchStatuses(gid)).containsEntry("s1", BranchStatus.SUCCEEDED);
    coordinator.close();
    clock.advance(Duration.ofMinutes(1)); // past the deadline, which must not roll it back now

    coordinator = newCoordinator(reopenStore());

    assertThat(status(gid)).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.calls())
        .containsExactly("debit.action:s1", "reserve.action:s2", "reserve.action:s2");
  }

  @Test
  void aStepThatNeededRetriesIsWrittenBeforeTheNextStepRuns() {
    script.on("reserve.action", Script.fail("stock service down"));
    crashOn("ship.action");
    Gid gid = Gid.random();
    Outcome outcome =
        coordinator
            .saga()
            .gid(gid)
            .step("debit", "1")
            .forwardStep("reserve", "2")
            .forwardStep("ship", "3")
            .execute();
    assertThat(outcome.status()).isEqualTo(GlobalStatus.BEGUN);

    // The retry succeeds, then ship's call crashes the run (however the scheduler reports it).
    var unused = catchThrowable(() -> scheduler.advance(Duration.ofSeconds(1)));

    await()
        .untilAsserted(() ->
            assertThat(branchStatuses(gid))
                .containsEntry("s1", BranchStatus.SUCCEEDED)
                .containsEntry("s2", BranchStatus.SUCCEEDED)
                .containsEntry("s3", BranchStatus.REGISTERED));
    assertThat(script.count("ship.action:s3")).isEqualTo(1);
  }

  @Test
  void anotherEngineTakesOverOnlyOnceTheLeaseHasRunOut() {
    script.alwaysFail("b.confirm");
    Outcome outcome = coordinator.tcc().branch("a", "1").branch("b", "2").execute();
    assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTING);
    coordinator.close(); // the first engine dies holding the lease
    script.heal("b.confirm");
    Coordinator other = newCoordinator(store, options("other-node"));
    long confirmsBefore = script.count("b.confirm:b2");

    clock.advance(Duration.ofSeconds(10));
    other.pollNow();
    assertThat(status(outcome.gid())).isEqualTo(GlobalStatus.COMMITTING);
    assertThat(script.count("b.confirm:b2")).isEqualTo(confirmsBefore);

    clock.advance(CoordinatorOptions.DEFAULT_LEASE);
    other.pollNow();
    assertThat(status(outcome.gid())).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(coordinator.find(outcome.gid()).global().owner()).isEqualTo("other-node");
  }

  @Test
  void recoveryRunsInTheBackgroundSoAStartedEngineTakesNewWorkAtOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    script.alwaysFail("b.confirm");
    Outcome stuck = coordinator.tcc().branch("a", "1").branch("b", "2").execute();
    coordinator.close();
    script.heal("b.confirm");
    script.on("b.confirm", () -> release.await(1, TimeUnit.MINUTES));
    try (var delivery = Executors.newVirtualThreadPerTaskExecutor()) {
      Coordinator restarted =
          Coordinator.builder(reopenStore())
              .options(options())
              .clock(clock)
              .scheduler(scheduler)
              .deliveryExecutor(delivery)
              .build();
      opened.add(restarted);
      for (String name : List.of("a", "b", "c")) {
        restarted.registerTcc(name, script.tcc(name));
      }
      try {
        restarted.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> script.count("b.confirm:b2") == 2);

        // Recovery hangs on b's confirm; the engine takes and finishes new transactions meanwhile.
        assertThat(restarted.recovery().recovering()).isTrue();
        assertThat(restarted.recovery().inFlight()).isEqualTo(1);
        assertThat(restarted.tcc().branch("a", "1").execute().status())
            .isEqualTo(GlobalStatus.COMMITTED);
      } finally {
        release.countDown();
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> !restarted.recovery().recovering());
      assertThat(restarted.recovery().settled()).isEqualTo(1);
      assertThat(restarted.find(stuck.gid()).status()).isEqualTo(GlobalStatus.COMMITTED);
    }
  }

  @Test
  void anOpenTransactionSurvivesARestartUntilItsDeadline() {
    Gid gid = coordinator.open(Mode.TCC, Duration.ofMinutes(5), null).gid();
    coordinator.register(gid, BranchId.of("x"), "a", "1", false);
    coordinator.close();

    coordinator = newCoordinator(reopenStore());

    assertThat(status(gid)).isEqualTo(GlobalStatus.OPEN);
    assertThat(coordinator.commit(gid).status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.calls()).contains("a.confirm:x").doesNotContain("a.cancel:x");
  }

  @Test
  void anOpenTransactionPastItsDeadlineIsRolledBackByTheRestartedEngine() {
    Gid gid = coordinator.open(Mode.TCC, Duration.ofSeconds(5), null).gid();
    coordinator.register(gid, BranchId.of("x"), "a", "1", false);
    coordinator.close();
    clock.advance(Duration.ofSeconds(6));

    coordinator = newCoordinator(reopenStore());

    assertThat(status(gid)).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(coordinator.find(gid).global().reason()).contains("deadline");
    assertThat(script.calls()).contains("a.cancel:x");
  }

  @Test
  void aDeadNodesUndecidedTransactionIsRolledBackWhenItsLeaseRunsOutNotAtItsDeadline() {
    crashOn("b.try");
    Gid gid = Gid.random();
    assertThatThrownBy(() ->
            coordinator
                .tcc()
                .gid(gid)
                .timeout(Duration.ofMinutes(10))
                .branch("a", "1")
                .branch("b", "2")
                .execute())
        .isInstanceOf(SimulatedCrash.class);
    coordinator.close(); // dies in the try phase, holding the lease
    Coordinator other = newCoordinator(store, options("other-node"));

    clock.advance(Duration.ofSeconds(10));
    other.pollNow();
    assertThat(status(gid)).isEqualTo(GlobalStatus.BEGUN);

    clock.advance(CoordinatorOptions.DEFAULT_LEASE);
    other.pollNow();
    // 40 s after the begin: the lease ran out, the 10-minute deadline is far off.
    assertThat(status(gid)).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(script.calls()).contains("a.cancel:b1", "b.cancel:b2");
  }

  @Test
  void aLiveNodeKeepsItsLeaseWhileATryRunsLongerThanTheLease() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    script.on("a.try", () -> release.await(1, TimeUnit.MINUTES));
    Coordinator other = newCoordinator(store, options("other-node"));
    Gid gid = Gid.random();
    try {
      CompletableFuture<Outcome> running =
          CompletableFuture.supplyAsync(() ->
              coordinator
                  .tcc()
                  .gid(gid)
                  .timeout(Duration.ofMinutes(10))
                  .branch("a", "1")
                  .execute());
      await().atMost(Duration.ofSeconds(10)).until(() -> script.calls().contains("a.try:b1"));

      for (int i = 0; i < 6; i++) {
        scheduler.advance(Duration.ofSeconds(10));
        other.pollNow();
      }
      // Twice the lease went by; the renewals kept the other node off.
      assertThat(status(gid)).isEqualTo(GlobalStatus.BEGUN);
      assertThat(coordinator.find(gid).global().owner()).isNotEqualTo("other-node");

      release.countDown();
      assertThat(running.get(10, TimeUnit.SECONDS).status()).isEqualTo(GlobalStatus.COMMITTED);
      assertThat(script.calls()).doesNotContain("a.cancel:b1");
    } finally {
      release.countDown();
    }
  }

  /** An Error passes through the engine untouched, like a process dying mid-call. */
  static final class SimulatedCrash extends Error {}

  /**
   * The engine dies inside {@code call} (e.g. "reserve.action"): the call is counted, no answer
   * comes.
   */
  protected void crashOn(String call) {
    script.on(
        call,
        () -> {
          throw new SimulatedCrash();
        });
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void unknownGidIsATypedError() {
    Gid gid = Gid.of("no-such-gid");
    assertThatThrownBy(() -> coordinator.find(gid))
        .isInstanceOf(UnknownTransactionException.class)
        .hasMessageContaining("no-such-gid");
    assertThatThrownBy(() -> coordinator.retryNow(gid))
        .isInstanceOf(UnknownTransactionException.class);
    assertThatThrownBy(() -> coordinator.markResolved(gid, "x"))
        .isInstanceOf(UnknownTransactionException.class);
  }

  @Test
  void operationsThatTheStatusDoesNotAllowAreRefused() {
    Outcome done = coordinator.tcc().branch("a", "1").execute();
    assertThatThrownBy(() -> coordinator.markResolved(done.gid(), "why not"))
        .isInstanceOf(IllegalOperationException.class)
        .hasMessageContaining(done.gid().value())
        .hasMessageContaining("committed")
        .hasMessageContaining("already finished");
    assertThatThrownBy(() -> coordinator.retryNow(done.gid()))
        .isInstanceOf(IllegalOperationException.class)
        .hasMessageContaining("nothing to retry");

    script.on("a.confirm", Script.fail("down"));
    Outcome pending = coordinator.tcc().branch("a", "1").execute();
    assertThatThrownBy(() -> coordinator.markResolved(pending.gid(), "x"))
        .isInstanceOf(IllegalOperationException.class)
        .hasMessageContaining("only a FAILED transaction");
    assertThat(status(pending.gid())).isEqualTo(GlobalStatus.COMMITTING);
  }

  @Test
  void emptyTransactionsAreRejectedBeforeAnythingIsLogged() {
    assertThatThrownBy(() -> coordinator.saga().execute())
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("at least one step");
    assertThatThrownBy(() -> coordinator.tcc().execute())
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("at least one branch");
    assertThatThrownBy(() -> SagaDefinition.fromJson("{\"steps\": []}"))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("at least one step");
    assertThatThrownBy(() -> SagaDefinition.fromJson("{\"steps\": [{\"action\": 1}]}"))
        .hasMessageContaining("saga step #1 needs \"action\"");
    assertThatThrownBy(() -> SagaDefinition.fromJson("{\"stpes\": []}"))
        .hasMessageContaining("unknown field \"stpes\"");
    assertThatThrownBy(() -> SagaDefinition.fromJson("{")).hasMessageContaining("not valid JSON");
  }

  @Test
  void duplicateBranchIdsAndGidsAreRejected() {
    Gid gid = Gid.random();
    assertThatThrownBy(() ->
            coordinator
                .tcc()
                .gid(gid)
                .branch(BranchId.of("x"), "a", "1")
                .branch(BranchId.of("x"), "b", "2")
                .execute())
        .isInstanceOf(DuplicateBranchException.class)
        .hasMessageContaining("already has a branch x");
    assertThatThrownBy(() -> coordinator.find(gid)).isInstanceOf(UnknownTransactionException.class);

    coordinator.tcc().gid(gid).branch("a", "1").execute();
    assertThatThrownBy(() -> coordinator.tcc().gid(gid).branch("a", "1").execute())
        .isInstanceOf(DuplicateTransactionException.class)
        .hasMessageContaining(gid.value());
    assertThat(status(gid)).isEqualTo(GlobalStatus.COMMITTED);
  }

  @Test
  void unknownParticipantsAreNamedWithTheRegisteredOnes() {
    assertThatThrownBy(() -> coordinator.tcc().branch("payments", "1").execute())
        .isInstanceOf(UnknownParticipantException.class)
        .hasMessageContaining("'payments'")
        .hasMessageContaining("a, b, c");
  }

  @Test
  void aParticipantThrowingUncheckedInPhaseTwoLeavesTheLogConsistent() {
    script.on(
        "a.confirm",
        () -> {
          throw new NullPointerException("bug in participant");
        });

    Outcome outcome = coordinator.tcc().branch("a", "1").execute();

    assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTING);
    BranchRecord a = coordinator.find(outcome.gid()).branches().getFirst();
    assertThat(a.status()).isEqualTo(BranchStatus.SUCCEEDED);
    assertThat(a.lastError()).contains("NullPointerException").contains("bug in participant");
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(status(outcome.gid())).isEqualTo(GlobalStatus.COMMITTED);
  }
}
