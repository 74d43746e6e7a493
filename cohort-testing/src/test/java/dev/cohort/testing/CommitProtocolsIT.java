package dev.cohort.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.api.UnknownTransactionException;
import dev.cohort.client.Branch;
import dev.cohort.coordinator.CommitModes;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.jdbc.Database;
import dev.cohort.participant.Barrier;
import dev.cohort.participant.BranchRequest;
import dev.cohort.participant.ParticipantCallHandler;
import dev.cohort.participant.ParticipantEndpoint;
import dev.cohort.participant.PreparedBranchResolver;
import dev.cohort.participant.PreparedBranchResolver.Decision;
import dev.cohort.participant.PreparedBranches;
import dev.cohort.participant.PreparedEndpoint;
import dev.cohort.participant.ThreePcBranchStatus;
import dev.cohort.participant.ThreePhaseBranches;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.protocol.Operation;
import dev.cohort.testing.time.ManualScheduler;
import dev.cohort.testing.time.MutableClock;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestHttpServer;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two- and three-phase commit across two services over HTTP, one on PostgreSQL (a ledger: debit 100
 * cents from alice) and one on MariaDB (stock: take one book), with the coordinator embedded on an
 * SQLite log. Faults go through the transport ({@link FaultInjector}); time moves by hand, the
 * coordinator's and the participants' separately, so "the coordinator is dead" means its calls fail
 * and its clock stands still while the participants' clock moves.
 *
 * <p>The numbers docs/xa-and-3pc.md quotes are printed by these tests ({@code [measured]} lines).
 */
class CommitProtocolsIT {
  private static final Duration VOTE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration PRE_COMMIT_TIMEOUT = Duration.ofSeconds(10);

  private static final TestServices services = TestServices.load();
  private static DatabasePair pg;
  private static DatabasePair maria;
  private static final Set<List<ThreePcBranchStatus>> visited =
      Collections.newSetFromMap(new ConcurrentHashMap<>());

  private PreparedBranches ledger;
  private PreparedBranches stock;
  private MutableClock participantClock;
  private ManualScheduler participantScheduler;
  private ThreePhaseBranches ledger3;
  private ThreePhaseBranches stock3;
  private final FaultInjector ledgerFaults = new FaultInjector();
  private final FaultInjector stockFaults = new FaultInjector();
  private final Map<Operation, List<long[]>> ledgerCalls = new EnumMap<>(Operation.class);
  private TestHttpServer server;
  private HttpParticipant http;
  private TestCoordinator env;
  private final ExecutorService writers = Executors.newFixedThreadPool(2);

  @BeforeAll
  static void databases() {
    pg = services.postgres().isolated("commit_modes");
    maria = services.mariadb().isolated("commit_modes");
  }

  @AfterAll
  static void everyLegalThreePcTransitionWasExercised() {
    services.close();
    assertThat(visited)
        .as("3PC participant transitions these tests went through")
        .containsAll(ThreePcBranchStatus.legalTransitions());
  }

  @BeforeEach
  void participants() throws Exception {
    ledger = PreparedBranches.builder(pg.primary(), Database.POSTGRESQL).build().createSchema();
    stock =
        PreparedBranches.builder(maria.primary(), Database.MARIADB)
            .prepareConnections(unpooled(maria))
            .build()
            .createSchema();
    for (PreparedBranches b : List.of(ledger, stock)) {
      for (PreparedBranches.PreparedId id : b.prepared()) {
        b.rollback(id.gid(), id.branchId());
      }
    }
    exec(
        pg.primary(),
        "DROP TABLE IF EXISTS account",
        "CREATE TABLE account (id VARCHAR(32) PRIMARY KEY, cents BIGINT NOT NULL,"
            + " frozen BIGINT NOT NULL DEFAULT 0)",
        "INSERT INTO account (id, cents) VALUES ('alice', 1000), ('bob', 1000)",
        "DELETE FROM cohort_prepared",
        "DELETE FROM cohort_prepared_3pc");
    exec(
        maria.primary(),
        "DROP TABLE IF EXISTS stock",
        "CREATE TABLE stock (sku VARCHAR(32) PRIMARY KEY, qty INT NOT NULL,"
            + " frozen INT NOT NULL DEFAULT 0) ENGINE=InnoDB",
        "INSERT INTO stock (sku, qty) VALUES ('book', 10)",
        "DELETE FROM cohort_prepared",
        "DELETE FROM cohort_prepared_3pc");
    participantClock = new MutableClock(TestCoordinator.DEFAULT_START);
    participantScheduler = new ManualScheduler(participantClock);
    ThreePhaseBranches.TransitionListener record =
        (gid, branch, from, to, byTimeout) -> {
          if (from != null) {
            visited.add(List.of(from, to));
          }
        };
    ledger3 =
        ThreePhaseBranches.builder(ledger, participantScheduler)
            .voteTimeout(VOTE_TIMEOUT)
            .preCommitTimeout(PRE_COMMIT_TIMEOUT)
            .listener(record)
            .clock(participantClock)
            .build();
    stock3 =
        ThreePhaseBranches.builder(stock, participantScheduler)
            .voteTimeout(VOTE_TIMEOUT)
            .preCommitTimeout(PRE_COMMIT_TIMEOUT)
            .listener(record)
            .clock(participantClock)
            .build();
    Barrier ledgerBarrier = Barrier.forDataSource(pg.primary());
    ledgerBarrier.createSchema();
    Barrier stockBarrier = Barrier.forDataSource(maria.primary());
    stockBarrier.createSchema();
    server =
        new TestHttpServer()
            // The same transfer as TCC and as a saga, for the lock-hold comparison.
            .route(
                "/ledger/tcc",
                ledgerFaults.wrap(
                    timed(
                        ParticipantEndpoint.unsignedTcc(ledgerBarrier)
                            .onTry(r ->
                                sql(
                                    r,
                                    "UPDATE account SET cents = cents - 100,"
                                        + " frozen = frozen + 100 WHERE id = 'alice'"))
                            .onConfirm(r ->
                                sql(
                                    r,
                                    "UPDATE account SET frozen = frozen - 100"
                                        + " WHERE id = 'alice'"))
                            .onCancel(r ->
                                sql(
                                    r,
                                    "UPDATE account SET cents = cents + 100,"
                                        + " frozen = frozen - 100 WHERE id = 'alice'"))
                            .build())))
            .route(
                "/stock/tcc",
                stockFaults.wrap(
                    ParticipantEndpoint.unsignedTcc(stockBarrier)
                        .onTry(r ->
                            sql(
                                r,
                                "UPDATE stock SET qty = qty - 1, frozen = frozen + 1"
                                    + " WHERE sku = 'book'"))
                        .onConfirm(r ->
                            sql(r, "UPDATE stock SET frozen = frozen - 1" + " WHERE sku = 'book'"))
                        .onCancel(r ->
                            sql(
                                r,
                                "UPDATE stock SET qty = qty + 1, frozen = frozen - 1"
                                    + " WHERE sku = 'book'"))
                        .build()))
            .route(
                "/ledger/saga",
                ledgerFaults.wrap(
                    timed(
                        ParticipantEndpoint.unsignedSaga(ledgerBarrier)
                            .onAction(r -> debit(r.connection()))
                            .onCompensate(r ->
                                sql(
                                    r,
                                    "UPDATE account SET cents = cents + 100"
                                        + " WHERE id = 'alice'"))
                            .build())))
            .route(
                "/stock/saga",
                stockFaults.wrap(
                    ParticipantEndpoint.unsignedSaga(stockBarrier)
                        .onAction(r -> take(r.connection()))
                        .onCompensate(
                            r -> sql(r, "UPDATE stock SET qty = qty + 1 WHERE sku = 'book'"))
                        .build()))
            .route(
                "/ledger/xa",
                ledgerFaults.wrap(
                    timed(
                        PreparedEndpoint.unsignedXa(ledger)
                            .onPrepare(r -> debit(r.connection()))
                            .build())))
            .route(
                "/stock/xa",
                stockFaults.wrap(
                    PreparedEndpoint.unsignedXa(stock)
                        .onPrepare(r -> take(r.connection()))
                        .build()))
            .route(
                "/ledger/3pc",
                ledgerFaults.wrap(
                    PreparedEndpoint.unsignedThreePc(ledger3)
                        .onCanCommit(r -> {})
                        .onPreCommit(r -> debit(r.connection()))
                        .build()))
            .route(
                "/stock/3pc",
                stockFaults.wrap(
                    PreparedEndpoint.unsignedThreePc(stock3)
                        .onCanCommit(r -> {})
                        .onPreCommit(r -> take(r.connection()))
                        .build()));
    http = HttpParticipant.builder().unsigned().callTimeout(Duration.ofSeconds(10)).build();
    env =
        TestCoordinator.builder()
            .mode(CommitModes.twoPhase())
            .mode(CommitModes.threePhase())
            .participant(CommitModes.XA, HttpTarget.PARTICIPANT, http)
            .participant(CommitModes.THREE_PC, HttpTarget.PARTICIPANT, http)
            .http(http)
            .start();
  }

  @AfterEach
  void close() {
    env.close();
    http.close();
    ledgerFaults.close();
    stockFaults.close();
    server.close();
    participantScheduler.close();
    writers.shutdownNow();
  }

  // ------------------------------------------------------------------------------------------
  // 2PC

  @Test
  void twoPhaseCommitsBothDatabases() throws Exception {
    Outcome o = env.cohort().run(Mode.XA, xaBranches());

    assertThat(o.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(balance()).isEqualTo(900);
    assertThat(books()).isEqualTo(9);
    assertThat(ledger.prepared()).isEmpty();
    assertThat(stock.prepared()).isEmpty();
  }

  @Test
  void aNoVoteRollsEveryBranchBack() throws Exception {
    exec(maria.primary(), "UPDATE stock SET qty = 0");

    Outcome o = env.cohort().run(Mode.XA, xaBranches());

    assertThat(o.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(o.reason()).contains("voted no");
    assertThat(balance()).isEqualTo(1000);
    assertThat(ledger.prepared()).isEmpty();
    assertThat(stock.prepared()).isEmpty();
  }

  @Test
  void aRepeatedCommitAndALatePrepareAreAnsweredByTheRules() throws Exception {
    Outcome o = env.cohort().run(Mode.XA, xaBranches());
    String gid = o.gid().value();

    assertThat(ledger.commit(gid, "ledger")).hasToString("ALREADY_COMMITTED");
    assertThat(ledger.prepare(gid, "ledger", c -> debit(c))).hasToString("ALREADY_COMMITTED");
    assertThat(ledger.rollback("never-prepared", "ledger")).hasToString("EMPTY_ROLLBACK");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ledger.prepare("never-prepared", "ledger", c -> debit(c)))
        .isInstanceOf(ParticipantRefusedException.class)
        .hasMessageContaining("after its rollback");
    assertThat(balance()).isEqualTo(900);
  }

  /**
   * The coordinator decides commit and dies before its commits arrive (they fail in the transport;
   * its clock stands still). Both prepared branches keep their row locks: a writer to the ledger's
   * row on PostgreSQL and one to the stock row on MariaDB wait until a new engine on the same log
   * delivers the commits.
   */
  @Test
  void twoPhaseBlocksConcurrentWritersUntilTheCoordinatorReturns() throws Exception {
    ledgerFaults.on(Operation.COMMIT).failNext(1);
    stockFaults.on(Operation.COMMIT).failNext(1);

    Outcome o = env.cohort().run(Mode.XA, xaBranches());
    assertThat(o.status()).isEqualTo(GlobalStatus.COMMITTING);
    assertThat(ledger.isPrepared(o.gid().value(), "ledger")).isTrue();
    assertThat(stock.isPrepared(o.gid().value(), "stock")).isTrue();

    long start = System.nanoTime();
    CompletableFuture<Long> pgWriter =
        writer(pg.primary(), "UPDATE account SET cents = cents + 1 WHERE id = 'alice'", start);
    CompletableFuture<Long> mariaWriter =
        writer(maria.primary(), "UPDATE stock SET qty = qty - 1 WHERE sku = 'book'", start);
    await().atMost(Duration.ofSeconds(20)).until(() -> pgWaiters() > 0 || pgWriter.isDone());
    await().atMost(Duration.ofSeconds(20)).until(() -> mariaWaiters() > 0 || mariaWriter.isDone());
    assertThat(pgWriter).as("the PostgreSQL writer waits for the prepared branch").isNotDone();
    assertThat(mariaWriter).as("the MariaDB writer waits for the prepared branch").isNotDone();

    long waitedBeforeReturn = System.nanoTime() - start;

    env.restart(); // the coordinator returns; recovery delivers the logged decision

    long pgBlocked = pgWriter.get(30, TimeUnit.SECONDS);
    long mariaBlocked = mariaWriter.get(30, TimeUnit.SECONDS);
    assertThat(pgBlocked).isGreaterThanOrEqualTo(waitedBeforeReturn);
    assertThat(mariaBlocked).isGreaterThanOrEqualTo(waitedBeforeReturn);
    assertThat(env.cohort().outcome(o.gid()).status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(balance()).isEqualTo(901);
    assertThat(books()).isEqualTo(8); // the branch's book, then the writer's
    assertThat(stock.prepared()).isEmpty();
    System.out.printf(
        "[measured] 2PC blocking: the PostgreSQL writer waited %d ms and the MariaDB writer %d ms"
            + " for a coordinator that came back after %d ms%n",
        ms(pgBlocked), ms(mariaBlocked), ms(waitedBeforeReturn));
  }

  /** Recovery from the log: a decided commit is delivered, an undecided one is presumed aborted. */
  @Test
  void twoPhaseRecoveryFinishesPreparedBranchesPerTheLog() throws Exception {
    ledgerFaults.on(Operation.COMMIT).failNext(1);
    Outcome committing = env.cohort().run(Mode.XA, xaBranches());
    assertThat(committing.status()).isEqualTo(GlobalStatus.COMMITTING);
    assertThat(ledger.isPrepared(committing.gid().value(), "ledger")).isTrue();

    env.restart();

    assertThat(env.cohort().outcome(committing.gid()).status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(ledger.prepared()).isEmpty();
    assertThat(balance()).isEqualTo(900);
  }

  /**
   * A participant whose coordinator never finishes asks it: a branch of a gid the coordinator does
   * not know is rolled back (presumed abort); a branch of a decided commit is committed before the
   * coordinator's own retry arrives.
   */
  @Test
  void theResolverSettlesPreparedBranchesByAskingTheCoordinator() throws Exception {
    // An orphan: prepared for a gid the coordinator never heard of (its process died first).
    ledger.prepare(
        "orphan-1",
        "ledger",
        c -> {
          try (Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE account SET cents = cents - 100 WHERE id = 'bob'");
          }
        });
    ledgerFaults.on(Operation.COMMIT).failNext(1);
    Outcome committing = env.cohort().run(Mode.XA, xaBranches());
    assertThat(balance()).isEqualTo(1000); // both debits prepared, none committed

    try (PreparedBranchResolver resolver =
        PreparedBranchResolver.builder(ledger, this::askCoordinator)
            .scheduler(participantScheduler)
            .clock(participantClock)
            .every(Duration.ofSeconds(1))
            .askAfter(Duration.ofSeconds(5))
            .presumeAbortAfter(Duration.ofMinutes(1))
            .build()
            .start()) {
      participantScheduler.advanceInSteps(Duration.ofSeconds(3));
      assertThat(ledger.prepared()).hasSize(2); // not asked before askAfter
      participantScheduler.advanceInSteps(Duration.ofSeconds(4));
      assertThat(resolver.resolveNow()).isZero(); // nothing left to settle
    }

    assertThat(ledger.prepared()).isEmpty();
    assertThat(balance()).isEqualTo(900); // the decided one committed
    assertThat(count(pg.primary(), "SELECT cents FROM account WHERE id = 'bob'"))
        .isEqualTo(1000); // the orphan rolled back
    env.advance(Duration.ofSeconds(1)); // the coordinator's retry finds it committed already
    assertThat(env.cohort().outcome(committing.gid()).status()).isEqualTo(GlobalStatus.COMMITTED);
  }

  /**
   * How long the same transfer holds alice's row lock in 2PC, TCC and saga, 20 fault-free runs
   * each, over the same loopback HTTP, database and coordinator. 2PC: from the start of the
   * ledger's prepare (its {@code UPDATE} takes the lock) to the end of its commit. TCC: the try's
   * local transaction plus the confirm's (each takes and releases the lock inside its call). Saga:
   * the action's local transaction. Each call's whole time is counted, barrier included, so the TCC
   * and saga figures are upper bounds.
   */
  @Test
  void measuresHowLongTwoPhaseTccAndSagaHoldTheRowLock() throws SQLException {
    exec(pg.primary(), "UPDATE account SET cents = 1000000");
    exec(maria.primary(), "UPDATE stock SET qty = 1000");
    List<Long> twoPhase =
        lockHolds(
            Mode.XA,
            xaBranches(),
            calls ->
                calls.get(Operation.COMMIT).getLast()[1]
                    - calls.get(Operation.PREPARE).getFirst()[0]);
    List<Long> tcc =
        lockHolds(
            Mode.TCC,
            List.of(
                Branch.tcc(
                    "ledger",
                    server.url("/ledger/tcc"),
                    server.url("/ledger/tcc"),
                    server.url("/ledger/tcc"),
                    "{}"),
                Branch.tcc(
                    "stock",
                    server.url("/stock/tcc"),
                    server.url("/stock/tcc"),
                    server.url("/stock/tcc"),
                    "{}")),
            calls -> span(calls, Operation.TRY) + span(calls, Operation.CONFIRM));
    List<Long> saga =
        lockHolds(
            Mode.SAGA,
            List.of(
                Branch.saga(
                    "ledger", server.url("/ledger/saga"), server.url("/ledger/saga"), "{}", false),
                Branch.saga(
                    "stock", server.url("/stock/saga"), server.url("/stock/saga"), "{}", false)),
            calls -> span(calls, Operation.ACTION));

    // The claim docs/xa-and-3pc.md makes: 2PC holds the lock across the coordinator's round trips,
    // TCC and saga only inside their own local transactions.
    assertThat(twoPhase.get(twoPhase.size() / 2)).isGreaterThan(tcc.get(tcc.size() / 2));
    assertThat(twoPhase.get(twoPhase.size() / 2)).isGreaterThan(saga.get(saga.size() / 2));
    assertThat(balance()).isEqualTo(1000000 - 60 * 100);
    System.out.printf(
        "[measured] alice's row lock held per transfer, 20 runs each, 2 branches over loopback"
            + " HTTP: 2PC (prepare to commit) %s; TCC (try + confirm) %s; saga (action) %s%n",
        millis(twoPhase), millis(tcc), millis(saga));
  }

  // ------------------------------------------------------------------------------------------
  // 3PC

  @Test
  void threePhaseCommitsBothDatabases() throws Exception {
    Outcome o = env.cohort().run(Mode.THREE_PC, threePcBranches());

    assertThat(o.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(balance()).isEqualTo(900);
    assertThat(books()).isEqualTo(9);
    assertThat(ledger3.status(o.gid().value(), "ledger")).isEqualTo(ThreePcBranchStatus.COMMITTED);
  }

  /**
   * The coordinator logs its commit decision after every pre-commit was acknowledged and dies: no
   * do-commit arrives. The participants commit on their own when their pre-commit timeout passes;
   * the coordinator, back, finds them committed.
   */
  @Test
  void threePhaseParticipantsCommitOnTheirOwnWhenTheCoordinatorDiesAfterPreCommit()
      throws Exception {
    ledgerFaults.on(Operation.DO_COMMIT).failNext(1);
    stockFaults.on(Operation.DO_COMMIT).failNext(1);

    Outcome o = env.cohort().run(Mode.THREE_PC, threePcBranches());
    String gid = o.gid().value();
    assertThat(o.status()).isEqualTo(GlobalStatus.COMMITTING);
    assertThat(ledger3.status(gid, "ledger")).isEqualTo(ThreePcBranchStatus.PRE_COMMITTED);
    assertThat(balance()).isEqualTo(1000);

    participantScheduler.advanceInSteps(PRE_COMMIT_TIMEOUT);

    assertThat(ledger3.status(gid, "ledger")).isEqualTo(ThreePcBranchStatus.COMMITTED);
    assertThat(stock3.status(gid, "stock")).isEqualTo(ThreePcBranchStatus.COMMITTED);
    assertThat(balance()).isEqualTo(900);
    assertThat(books()).isEqualTo(9);
    env.restart();
    assertThat(env.cohort().outcome(o.gid()).status()).isEqualTo(GlobalStatus.COMMITTED);
  }

  /**
   * The same, but both participant processes restart while pre-committed (their timers die with
   * them): the statuses are in their databases, {@code resume} re-arms the timeouts with the time
   * already passed counted, and the branches still commit on their own.
   */
  @Test
  void preCommittedBranchesStillCommitOnTheirOwnAfterTheParticipantsRestart() throws Exception {
    ledgerFaults.on(Operation.DO_COMMIT).failNext(1);
    stockFaults.on(Operation.DO_COMMIT).failNext(1);
    Outcome o = env.cohort().run(Mode.THREE_PC, threePcBranches());
    String gid = o.gid().value();
    assertThat(o.status()).isEqualTo(GlobalStatus.COMMITTING);

    participantClock.advance(PRE_COMMIT_TIMEOUT.minusSeconds(4)); // down for 6 s of the 10
    try (ManualScheduler restarted = new ManualScheduler(participantClock)) {
      ThreePhaseBranches ledgerAgain = restartedBranches(ledger, restarted);
      ThreePhaseBranches stockAgain = restartedBranches(stock, restarted);
      assertThat(ledgerAgain.status(gid, "ledger")).isEqualTo(ThreePcBranchStatus.PRE_COMMITTED);
      assertThat(ledgerAgain.resume()).isEqualTo(1);
      assertThat(stockAgain.resume()).isEqualTo(1);

      restarted.advanceInSteps(Duration.ofSeconds(3));
      assertThat(balance()).as("not before the timeout's remaining 4 s").isEqualTo(1000);
      restarted.advanceInSteps(Duration.ofSeconds(1));

      assertThat(ledgerAgain.status(gid, "ledger")).isEqualTo(ThreePcBranchStatus.COMMITTED);
      assertThat(stockAgain.status(gid, "stock")).isEqualTo(ThreePcBranchStatus.COMMITTED);
      assertThat(balance()).isEqualTo(900);
      assertThat(books()).isEqualTo(9);
      assertThat(ledgerAgain.resume()).as("nothing left to re-arm").isZero();
    }
  }

  /**
   * A yes voter whose process restarts before any pre-commit: its stored vote times out and aborts
   * after the restart, and a pre-commit arriving after that is refused.
   */
  @Test
  void aYesVoteStillAbortsOnItsOwnAfterTheParticipantRestarts() throws Exception {
    ledger3.canCommit("restarted-vote", "ledger", () -> {});
    try (ManualScheduler restarted = new ManualScheduler(participantClock)) {
      ThreePhaseBranches again = restartedBranches(ledger, restarted);
      assertThat(again.resume()).isEqualTo(1);
      restarted.advanceInSteps(VOTE_TIMEOUT);
      assertThat(again.status("restarted-vote", "ledger")).isEqualTo(ThreePcBranchStatus.ABORTED);
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> again.preCommit("restarted-vote", "ledger", c -> debit(c)))
          .isInstanceOf(ParticipantRefusedException.class);
    }
    assertThat(balance()).isEqualTo(1000);
  }

  private ThreePhaseBranches restartedBranches(PreparedBranches branches, ManualScheduler on) {
    return ThreePhaseBranches.builder(branches, on)
        .voteTimeout(VOTE_TIMEOUT)
        .preCommitTimeout(PRE_COMMIT_TIMEOUT)
        .clock(participantClock)
        .build();
  }

  /**
   * A yes voter that hears nothing more (the coordinator aborted, and the abort is lost) aborts on
   * its own when its vote timeout passes, and refuses a pre-commit arriving after that.
   */
  @Test
  void aYesVoterWithoutPreCommitAbortsOnItsOwn() throws Exception {
    stockFaults.on(Operation.CAN_COMMIT).refuseNext("out of stock");
    ledgerFaults.on(Operation.ABORT).failNext(1);

    Outcome o = env.cohort().run(Mode.THREE_PC, threePcBranches());
    String gid = o.gid().value();
    assertThat(o.status()).isEqualTo(GlobalStatus.ROLLING_BACK);
    assertThat(ledger3.status(gid, "ledger")).isEqualTo(ThreePcBranchStatus.VOTED);

    participantScheduler.advanceInSteps(VOTE_TIMEOUT);

    assertThat(ledger3.status(gid, "ledger")).isEqualTo(ThreePcBranchStatus.ABORTED);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ledger3.preCommit(gid, "ledger", c -> debit(c)))
        .isInstanceOf(ParticipantRefusedException.class);
    env.advance(Duration.ofSeconds(1));
    assertThat(env.cohort().outcome(o.gid()).status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(balance()).isEqualTo(1000);
  }

  /**
   * 3PC's partition anomaly, reproduced: after both branches pre-committed, a partition cuts the
   * stock service off. Its pre-commit acknowledgement is lost, so the coordinator aborts; the
   * ledger hears the abort and rolls back, while the stock service, hearing nothing, commits on its
   * pre-commit timeout. The two databases disagree, and when the partition heals the coordinator's
   * abort is refused and the transaction is FAILED for an operator.
   */
  @Test
  void threePhasePartitionAfterPreCommitLeavesTheDatabasesInconsistent() throws Exception {
    stockFaults.on(Operation.PRE_COMMIT).loseAnswerNext();
    stockFaults.on(Operation.ABORT).failNext(100);

    Outcome o = env.cohort().run(Mode.THREE_PC, threePcBranches());
    String gid = o.gid().value();
    assertThat(o.status()).isEqualTo(GlobalStatus.ROLLING_BACK);
    assertThat(ledger3.status(gid, "ledger")).isEqualTo(ThreePcBranchStatus.ABORTED);
    assertThat(stock3.status(gid, "stock")).isEqualTo(ThreePcBranchStatus.PRE_COMMITTED);

    participantScheduler.advanceInSteps(PRE_COMMIT_TIMEOUT);

    // The inconsistency: the money was not taken, the book was.
    assertThat(balance()).isEqualTo(1000);
    assertThat(books()).isEqualTo(9);
    assertThat(stock3.status(gid, "stock")).isEqualTo(ThreePcBranchStatus.COMMITTED);

    stockFaults.on(Operation.ABORT).clear(); // the partition heals
    env.advance(Duration.ofSeconds(1));
    Outcome after = env.cohort().outcome(o.gid());
    assertThat(after.status()).isEqualTo(GlobalStatus.FAILED);
    assertThat(after.reason()).contains("committed already");
    System.out.printf(
        "[measured] 3PC partition: ledger balance %d (rolled back), stock %d (committed on its"
            + " own); coordinator: %s%n",
        balance(), books(), after.reason());
  }

  // ------------------------------------------------------------------------------------------

  private List<Branch> xaBranches() {
    return List.of(
        Branch.xa(
            "ledger",
            server.url("/ledger/xa"),
            server.url("/ledger/xa"),
            server.url("/ledger/xa"),
            "{\"account\":\"alice\",\"cents\":100}"),
        Branch.xa(
            "stock",
            server.url("/stock/xa"),
            server.url("/stock/xa"),
            server.url("/stock/xa"),
            "{\"sku\":\"book\",\"qty\":1}"));
  }

  private List<Branch> threePcBranches() {
    return List.of(
        Branch.threePc(
            "ledger", server.url("/ledger/3pc"), "{\"account\":\"alice\",\"cents\":100}"),
        Branch.threePc("stock", server.url("/stock/3pc"), "{\"sku\":\"book\",\"qty\":1}"));
  }

  private Decision askCoordinator(String gid) {
    GlobalStatus status;
    try {
      status = env.coordinator().find(dev.cohort.api.Gid.of(gid)).status();
    } catch (UnknownTransactionException e) {
      return Decision.UNKNOWN;
    }
    return switch (status) {
      case COMMITTING, COMMITTED -> Decision.COMMIT;
      case ROLLING_BACK, ROLLED_BACK -> Decision.ROLLBACK;
      default -> Decision.UNDECIDED;
    };
  }

  /**
   * Records when each of the ledger's calls started and was answered, for the lock-hold
   * measurement: a call that takes alice's row lock takes it while it runs, and a call that commits
   * releases it before it answers.
   */
  private ParticipantCallHandler timed(ParticipantCallHandler endpoint) {
    return (header, body) -> {
      Operation op = Operation.fromCode(header.apply(CallSignature.OP_HEADER));
      long before = System.nanoTime();
      ParticipantEndpoint.Response r = endpoint.handle(header, body);
      long after = System.nanoTime();
      synchronized (ledgerCalls) {
        ledgerCalls.computeIfAbsent(op, k -> new ArrayList<>()).add(new long[] {before, after});
      }
      return r;
    };
  }

  /** Runs {@code transfer} 20 times and returns how long alice's row was locked in each. */
  private List<Long> lockHolds(Mode mode, List<Branch> branches, LockHold hold) {
    List<Long> held = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      synchronized (ledgerCalls) {
        ledgerCalls.clear();
      }
      assertThat(env.cohort().run(mode, branches).status()).isEqualTo(GlobalStatus.COMMITTED);
      synchronized (ledgerCalls) {
        held.add(hold.of(ledgerCalls));
      }
    }
    Collections.sort(held);
    assertThat(held.getFirst()).isPositive();
    return held;
  }

  /** How long one transaction held alice's row, from the ledger's call intervals. */
  private interface LockHold {
    long of(Map<Operation, List<long[]>> calls);
  }

  private static long span(Map<Operation, List<long[]>> calls, Operation op) {
    long[] call = calls.get(op).getLast();
    return call[1] - call[0];
  }

  private static String millis(List<Long> sorted) {
    return String.format(
        java.util.Locale.ROOT,
        "median %.1f ms, max %.1f ms",
        sorted.get(sorted.size() / 2) / 1e6,
        sorted.getLast() / 1e6);
  }

  private static void sql(BranchRequest request, String update) throws SQLException {
    try (Statement st = request.connection().createStatement()) {
      st.executeUpdate(update);
    }
  }

  private static void debit(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE account SET cents = cents - 100 WHERE id = 'alice' AND cents >= 100")) {
      if (ps.executeUpdate() != 1) {
        throw new ParticipantRefusedException("alice cannot pay 100 cents");
      }
    }
  }

  private static void take(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE stock SET qty = qty - 1 WHERE sku = 'book' AND qty > 0")) {
      if (ps.executeUpdate() != 1) {
        throw new ParticipantRefusedException("no book left");
      }
    }
  }

  private CompletableFuture<Long> writer(DataSource ds, String sql, long start) {
    // A thread of its own each: the common pool may have a single thread on a small machine, and
    // two blocked writers queued on it would wait for each other instead of for the locks.
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection c = ds.getConnection();
              Statement s = c.createStatement()) {
            s.executeUpdate(sql);
            return System.nanoTime() - start;
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        },
        writers);
  }

  /** A data source whose connections really disconnect on close (see prepareConnections). */
  private static DataSource unpooled(DatabasePair db) throws SQLException {
    org.mariadb.jdbc.MariaDbDataSource ds = new org.mariadb.jdbc.MariaDbDataSource(db.primaryUrl());
    ds.setUser(db.user());
    ds.setPassword(db.password());
    return ds;
  }

  private static long mariaWaiters() throws SQLException {
    return count(
        maria.primary(),
        "SELECT count(*) FROM information_schema.PROCESSLIST"
            + " WHERE INFO LIKE 'UPDATE stock%' AND COMMAND = 'Query'");
  }

  private static long pgWaiters() throws SQLException {
    return count(
        pg.primary(),
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            + " AND query LIKE 'UPDATE account%'");
  }

  private static long balance() throws SQLException {
    return count(pg.primary(), "SELECT cents FROM account WHERE id = 'alice'");
  }

  private static long books() throws SQLException {
    return count(maria.primary(), "SELECT qty FROM stock WHERE sku = 'book'");
  }

  private static long count(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void exec(DataSource ds, String... sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    }
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
