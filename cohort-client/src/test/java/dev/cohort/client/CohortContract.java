package dev.cohort.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.DuplicateBranchException;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.IllegalOperationException;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.api.UnknownTransactionException;
import dev.cohort.participant.Stock;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.Operation;
import dev.cohort.testsupport.TestHttpServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * What {@link Cohort} promises, whatever the transport. Subclasses hand over a {@link Cohort} whose
 * coordinator signs participant calls with a key that {@link #participantVerifier()} holds; the
 * contract runs HTTP participants ({@code ParticipantEndpoint}s over an SQLite stock table) on a
 * local JDK HTTP server and checks the table after each transaction.
 *
 * <p>Run by cohort-embedded's EmbeddedCohortTest; cohort-server runs it against the real server
 * (depend on cohort-client's test-jar and sqlite-jdbc, both test scope).
 */
public abstract class CohortContract {
  @TempDir protected Path participantDir;

  private Stock stock;
  private TestHttpServer participants;

  /** The Cohort under test; called once per test, after this class's set-up. */
  protected abstract Cohort cohort();

  /**
   * The keys the test participants verify the coordinator's calls with; null for participants that
   * accept unsigned calls.
   */
  protected abstract CallSignature participantVerifier();

  @BeforeEach
  void startParticipants() throws Exception {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setBusyTimeout(10_000);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + participantDir.resolve("stock.db").toAbsolutePath());
    stock = new Stock(ds);
    stock.put("A-1", 10);
    stock.put("B-1", 1);
    participants =
        new TestHttpServer()
            .route("/tcc", stock.tcc(participantVerifier()).build().jdkHandler())
            .route("/saga", stock.saga(participantVerifier()).build().jdkHandler());
  }

  @AfterEach
  void stopParticipants() {
    participants.close();
  }

  private Branch tcc(String id, String sku, int qty) {
    URI url = participants.url("/tcc");
    return Branch.tcc(id, url, url, url, Stock.payload(sku, qty));
  }

  private Branch saga(String id, String sku, int qty) {
    URI url = participants.url("/saga");
    return Branch.saga(id, url, url, Stock.payload(sku, qty), false);
  }

  private Stock.Level level(String sku) throws Exception {
    return stock.level(sku);
  }

  @Test
  void tccCommitsBranchesRegisteredOneByOne() throws Exception {
    Cohort cohort = cohort();
    Transaction tx = cohort.begin(Mode.TCC);
    assertThat(tx.mode()).isEqualTo(Mode.TCC);
    assertThat(cohort.outcome(tx.gid()).status()).isEqualTo(GlobalStatus.OPEN);

    tx.register(tcc("a", "A-1", 2)).register(tcc("b", "B-1", 1));
    assertThat(level("A-1")).isEqualTo(new Stock.Level(8, 2)); // the try ran at registration

    Outcome outcome = tx.commit();

    assertThat(outcome).isEqualTo(new Outcome(tx.gid(), GlobalStatus.COMMITTED, null));
    assertThat(level("A-1")).isEqualTo(new Stock.Level(8, 0));
    assertThat(level("B-1")).isEqualTo(new Stock.Level(0, 0));
    assertThat(tx.commit().status()).isEqualTo(GlobalStatus.COMMITTED); // idempotent
    assertThat(cohort.outcome(tx.gid()).status()).isEqualTo(GlobalStatus.COMMITTED);
  }

  @Test
  void aRefusedTryRollsTheTransactionBackAndSaysWhy() throws Exception {
    Cohort cohort = cohort();
    Transaction tx = cohort.begin(Mode.TCC);
    tx.register(tcc("a", "A-1", 2));

    assertThatThrownBy(() -> tx.register(tcc("b", "B-1", 5)))
        .isInstanceOfSatisfying(
            TransactionRolledBackException.class,
            e -> {
              assertThat(e.outcome().gid()).isEqualTo(tx.gid());
              assertThat(e.outcome().status())
                  .isIn(GlobalStatus.ROLLING_BACK, GlobalStatus.ROLLED_BACK);
              assertThat(e.outcome().reason()).contains("out of stock: B-1 x5");
            });

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cohort.outcome(tx.gid()).status() == GlobalStatus.ROLLED_BACK);
    assertThat(level("A-1")).isEqualTo(new Stock.Level(10, 0));
    assertThat(level("B-1")).isEqualTo(new Stock.Level(1, 0));
    assertThatThrownBy(() -> tx.register(tcc("c", "A-1", 1)))
        .isInstanceOf(IllegalOperationException.class);
  }

  @Test
  void abortCancelsAnOpenTransactionAndIsIdempotent() throws Exception {
    Cohort cohort = cohort();
    Transaction tx = cohort.begin(Mode.TCC);
    tx.register(tcc("a", "A-1", 3));

    assertThat(tx.abort().status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(tx.abort().status()).isEqualTo(GlobalStatus.ROLLED_BACK);

    assertThat(level("A-1")).isEqualTo(new Stock.Level(10, 0));
    assertThatThrownBy(() -> tx.register(tcc("b", "A-1", 1)))
        .isInstanceOfSatisfying(
            IllegalOperationException.class,
            e -> assertThat(e.status()).isEqualTo(GlobalStatus.ROLLED_BACK));
  }

  @Test
  void abortingACommittedTransactionIsRefused() {
    Transaction tx = cohort().begin(Mode.TCC);
    tx.register(tcc("a", "A-1", 1));
    tx.commit();
    assertThatThrownBy(tx::abort)
        .isInstanceOfSatisfying(
            IllegalOperationException.class,
            e -> assertThat(e.status()).isEqualTo(GlobalStatus.COMMITTED));
  }

  @Test
  void sagaStepsRunOnlyAtCommit() throws Exception {
    Transaction tx = cohort().begin(Mode.SAGA);
    tx.register(saga("a", "A-1", 2)).register(saga("b", "B-1", 1));
    assertThat(level("A-1")).isEqualTo(new Stock.Level(10, 0));

    assertThat(tx.commit().status()).isEqualTo(GlobalStatus.COMMITTED);

    assertThat(level("A-1")).isEqualTo(new Stock.Level(8, 0));
    assertThat(level("B-1")).isEqualTo(new Stock.Level(0, 0));
  }

  @Test
  void aRefusedSagaStepCompensatesTheCompletedOnes() throws Exception {
    Transaction tx = cohort().begin(Mode.SAGA);
    tx.register(saga("a", "A-1", 2)).register(saga("b", "B-1", 5));

    Outcome outcome = tx.commit();

    assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(outcome.reason()).contains("out of stock: B-1 x5");
    assertThat(level("A-1")).isEqualTo(new Stock.Level(10, 0));
    assertThat(level("B-1")).isEqualTo(new Stock.Level(1, 0));
  }

  @Test
  void runCommitsInOneStep() throws Exception {
    Outcome tcc = cohort().run(Mode.TCC, List.of(tcc("a", "A-1", 1), tcc("b", "B-1", 1)));
    Outcome saga = cohort().run(Mode.SAGA, List.of(saga("a", "A-1", 2)));

    assertThat(tcc.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(saga.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(level("A-1")).isEqualTo(new Stock.Level(7, 0));
    assertThat(level("B-1")).isEqualTo(new Stock.Level(0, 0));
  }

  @Test
  void runPresumingAbortCommitsAndReportsARefusedTryLikeRun() throws Exception {
    Outcome committed = cohort().runPresumingAbort(List.of(tcc("a", "A-1", 1), tcc("b", "B-1", 1)));
    Outcome refused = cohort().runPresumingAbort(List.of(tcc("a", "A-1", 2), tcc("b", "B-1", 5)));

    assertThat(committed.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(cohort().status(committed.gid()).branches()).hasSize(2);
    assertThat(refused.status()).isIn(GlobalStatus.ROLLING_BACK, GlobalStatus.ROLLED_BACK);
    assertThat(refused.reason()).contains("out of stock: B-1 x5");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cohort().outcome(refused.gid()).status() == GlobalStatus.ROLLED_BACK);
    assertThat(level("A-1")).isEqualTo(new Stock.Level(9, 0));
    assertThat(level("B-1")).isEqualTo(new Stock.Level(0, 0));
  }

  @Test
  void runReportsARefusedTryAsItsOutcome() throws Exception {
    Outcome outcome = cohort().run(Mode.TCC, List.of(tcc("a", "A-1", 2), tcc("b", "B-1", 5)));

    assertThat(outcome.status()).isIn(GlobalStatus.ROLLING_BACK, GlobalStatus.ROLLED_BACK);
    assertThat(outcome.reason()).contains("out of stock: B-1 x5");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cohort().outcome(outcome.gid()).status() == GlobalStatus.ROLLED_BACK);
    assertThat(level("A-1")).isEqualTo(new Stock.Level(10, 0));
  }

  @Test
  void statusShowsTheTransactionAndItsBranches() {
    Transaction tx = cohort().begin(Mode.TCC, Duration.ofSeconds(20));
    tx.register(tcc("stock", "A-1", 2));
    tx.commit();

    TransactionInfo info = cohort().status(tx.gid());

    assertThat(info.gid()).isEqualTo(tx.gid());
    assertThat(info.mode()).isEqualTo(Mode.TCC);
    assertThat(info.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(info.createdAt()).isNotNull();
    assertThat(info.deadline()).isNotNull();
    assertThat(Duration.between(info.createdAt(), info.deadline()))
        .isBetween(Duration.ofSeconds(15), Duration.ofSeconds(25));
    assertThat(info.branches()).hasSize(1);
    BranchInfo branch = info.branches().getFirst();
    assertThat(branch.branchId()).isEqualTo(BranchId.of("stock"));
    assertThat(branch.status()).isEqualTo(BranchStatus.CONFIRMED);
    assertThat(branch.target()).isNotNull();
    assertThat(branch.target().url(Operation.TRY)).isEqualTo(participants.url("/tcc"));
    assertThat(branch.payload()).contains("\"sku\"").contains("A-1");
  }

  @Test
  void anUnknownGidIsReportedAsSuch() {
    Gid gid = Gid.of("no-such-transaction-" + System.nanoTime());
    assertThatThrownBy(() -> cohort().outcome(gid)).isInstanceOf(UnknownTransactionException.class);
    assertThatThrownBy(() -> cohort().status(gid)).isInstanceOf(UnknownTransactionException.class);
  }

  @Test
  void aBranchOfTheOtherModeIsRefusedBeforeAnythingRuns() throws Exception {
    Transaction tx = cohort().begin(Mode.TCC);
    assertThatThrownBy(() -> tx.register(saga("a", "A-1", 1)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("HTTP saga branch but the transaction is tcc");
    assertThatThrownBy(() -> cohort().run(Mode.SAGA, List.of()))
        .isInstanceOf(InvalidInputException.class);
    assertThat(level("A-1")).isEqualTo(new Stock.Level(10, 0));
    tx.abort();
  }

  // ------------------------------------------------------------ begun lazily

  @Test
  void aLazyTccIsCreatedByItsFirstRegisterAndCommitsLikeAnyOther() throws Exception {
    Cohort cohort = cohort();
    Transaction tx = cohort.beginLazily(Mode.TCC, Duration.ofSeconds(30));
    assertThatThrownBy(() -> cohort.outcome(tx.gid()))
        .as("the coordinator has not heard of it yet")
        .isInstanceOf(UnknownTransactionException.class);

    tx.register(tcc("a", "A-1", 2));
    assertThat(level("A-1")).as("the first try ran").isEqualTo(new Stock.Level(8, 2));
    assertThat(cohort.outcome(tx.gid()).status()).isEqualTo(GlobalStatus.OPEN);
    tx.register(tcc("b", "B-1", 1));

    assertThat(tx.commit()).isEqualTo(new Outcome(tx.gid(), GlobalStatus.COMMITTED, null));
    assertThat(level("A-1")).isEqualTo(new Stock.Level(8, 0));
    assertThat(level("B-1")).isEqualTo(new Stock.Level(0, 0));
    assertThat(tx.commit().status()).as("idempotent").isEqualTo(GlobalStatus.COMMITTED);
    assertThat(cohort.status(tx.gid()).branches()).hasSize(2);
  }

  @Test
  void aLazyTccWhoseFirstTryRefusesIsRolledBack() throws Exception {
    Cohort cohort = cohort();
    Transaction tx = cohort.beginLazily(Mode.TCC);

    assertThatThrownBy(() -> tx.register(tcc("a", "B-1", 5)))
        .isInstanceOfSatisfying(
            TransactionRolledBackException.class,
            e -> assertThat(e.outcome().reason()).contains("out of stock: B-1 x5"));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cohort.outcome(tx.gid()).status() == GlobalStatus.ROLLED_BACK);
    assertThat(level("B-1")).isEqualTo(new Stock.Level(1, 0));
    assertThatThrownBy(() -> tx.register(tcc("b", "A-1", 1)))
        .isInstanceOf(IllegalOperationException.class);
    assertThatThrownBy(tx::commit).isInstanceOf(IllegalOperationException.class);
  }

  @Test
  void aLazySagaSendsItsStepsWithTheCommit() throws Exception {
    Cohort cohort = cohort();
    Transaction tx = cohort.beginLazily(Mode.SAGA);
    tx.register(saga("a", "A-1", 2)).register(saga("b", "B-1", 1));
    assertThatThrownBy(() -> tx.register(saga("a", "A-1", 1)))
        .isInstanceOf(DuplicateBranchException.class);
    assertThatThrownBy(() -> cohort.outcome(tx.gid()))
        .isInstanceOf(UnknownTransactionException.class);

    assertThat(tx.commit().status()).isEqualTo(GlobalStatus.COMMITTED);

    assertThat(level("A-1")).isEqualTo(new Stock.Level(8, 0));
    assertThat(level("B-1")).isEqualTo(new Stock.Level(0, 0));
    assertThat(tx.commit().status()).as("idempotent").isEqualTo(GlobalStatus.COMMITTED);
    assertThat(cohort.status(tx.gid()).branches())
        .extracting(b -> b.branchId().value())
        .containsExactly("a", "b");
  }

  @Test
  void aLazySagaThatFailsIsCompensated() throws Exception {
    Transaction tx = cohort().beginLazily(Mode.SAGA);
    tx.register(saga("a", "A-1", 2)).register(saga("b", "B-1", 5));

    Outcome outcome = tx.commit();

    assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(outcome.reason()).contains("out of stock: B-1 x5");
    assertThat(level("A-1")).isEqualTo(new Stock.Level(10, 0));
  }

  @Test
  void aLazyTransactionWithNothingRegisteredCommitsEmptyOrAbortsWithoutACall() {
    Cohort cohort = cohort();
    Transaction empty = cohort.beginLazily(Mode.TCC);

    assertThat(empty.commit()).isEqualTo(new Outcome(empty.gid(), GlobalStatus.COMMITTED, null));
    assertThat(cohort.status(empty.gid()).branches()).isEmpty();
    assertThat(empty.commit().status()).isEqualTo(GlobalStatus.COMMITTED);

    Transaction dropped = cohort.beginLazily(Mode.SAGA);
    dropped.register(saga("a", "A-1", 1));
    Outcome aborted = dropped.abort();
    assertThat(aborted.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(aborted.reason()).contains("before anything reached the coordinator");
    assertThat(dropped.abort()).isEqualTo(aborted);
    assertThatThrownBy(() -> cohort.outcome(dropped.gid()))
        .isInstanceOf(UnknownTransactionException.class);
    assertThatThrownBy(dropped::commit)
        .isInstanceOfSatisfying(
            IllegalOperationException.class,
            e -> assertThat(e.status()).isEqualTo(GlobalStatus.ROLLED_BACK));
  }

  @Test
  void aLazyTccAbortCancelsWhatWasTried() throws Exception {
    Transaction tx = cohort().beginLazily(Mode.TCC);
    tx.register(tcc("a", "A-1", 3));

    assertThat(tx.abort().status()).isEqualTo(GlobalStatus.ROLLED_BACK);

    assertThat(level("A-1")).isEqualTo(new Stock.Level(10, 0));
    assertThatThrownBy(() -> cohort().beginLazily(Mode.TCC, Duration.ZERO))
        .isInstanceOf(InvalidInputException.class);
    // A mode neither transport knows (over HTTP, xa and 3pc are protocol modes the server decides
    // on).
    assertThatThrownBy(() -> cohort().beginLazily(Mode.fromCode("bespoke")))
        .isInstanceOf(InvalidInputException.class);
  }
}
