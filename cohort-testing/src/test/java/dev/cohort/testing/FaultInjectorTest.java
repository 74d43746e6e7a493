package dev.cohort.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.cohort.api.BranchContext;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.client.Branch;
import dev.cohort.coordinator.TccParticipant;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.participant.BarrierResult;
import dev.cohort.participant.BranchRequest;
import dev.cohort.participant.BranchWork;
import dev.cohort.participant.Keys;
import dev.cohort.participant.Stock;
import dev.cohort.protocol.Operation;
import dev.cohort.testsupport.TestHttpServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Each scripted fault against a real coordinator on an SQLite log and a barrier-backed stock
 * service (its data in an SQLite file too), over HTTP and in-process. Time moves only by {@code
 * env.advance}.
 */
class FaultInjectorTest {
  /** Short, so a hung HTTP call ends quickly; the only real time these tests spend. */
  private static final Duration CALL_TIMEOUT = Duration.ofMillis(500);

  @TempDir Path dir;

  private Stock stock;
  private final FaultInjector faults = new FaultInjector();
  private TestHttpServer server;
  private HttpParticipant http;
  private TestCoordinator env;

  @BeforeEach
  void setUp() throws Exception {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setBusyTimeout(10_000);
    SQLiteDataSource data = new SQLiteDataSource(config);
    data.setUrl("jdbc:sqlite:" + dir.resolve("stock.db").toAbsolutePath());
    stock = new Stock(data);
    stock.put("A-1", 10);
    server =
        new TestHttpServer()
            .route("/stock", faults.wrap(stock.tcc(Keys.signature()).build(), Keys.signature()));
    http = HttpParticipant.builder().signer(Keys.signature()).callTimeout(CALL_TIMEOUT).build();
    env =
        TestCoordinator.builder()
            .logFile(dir.resolve("log.db"))
            .http(http)
            .registerTcc("local-stock", faults.wrap(inProcess(stock)))
            .start();
  }

  @AfterEach
  void tearDown() {
    faults.close();
    env.close();
    http.close();
    server.close();
  }

  private Outcome buyOverHttp(int qty) {
    URI url = server.url("/stock");
    return env.cohort()
        .run(Mode.TCC, List.of(Branch.tcc("b1", url, url, url, Stock.payload("A-1", qty))));
  }

  @Test
  void failNextThreeOnConfirmIsRetriedUntilCommitted() throws Exception {
    faults.on(Operation.CONFIRM).failNext(3);

    Outcome first = buyOverHttp(2);
    assertThat(first.status()).isNotEqualTo(GlobalStatus.COMMITTED);
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(8, 2));

    env.advance(Duration.ofSeconds(2)); // retries due 100, 300 and 700 ms after the first confirm

    assertThat(env.cohort().outcome(first.gid()).status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(faults.faults(Operation.CONFIRM))
        .containsExactly(Fault.FAIL, Fault.FAIL, Fault.FAIL, Fault.NONE);
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(8, 0));
  }

  @Test
  void refuseOnTryRollsBackWithTheReason() throws Exception {
    faults.on(Operation.TRY).refuseNext("no stock for you");

    Outcome outcome = buyOverHttp(2);

    assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(outcome.reason()).contains("no stock for you");
    assertThat(faults.calls(Operation.TRY))
        .extracting(RecordedCall::delivered, RecordedCall::outcome)
        .containsExactly(tuple(false, CallOutcome.REFUSED));
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(10, 0));
    assertThat(stock.barrierRows(outcome.gid().value(), "b1"))
        .as("the try never arrived: its cancel was an empty rollback")
        .containsExactly("cancel/cancel", "try/cancel");
  }

  @Test
  void aDuplicatedConfirmTakesTheStockOnce() throws Exception {
    faults.on(Operation.CONFIRM).duplicateNext();

    Outcome outcome = buyOverHttp(2);

    assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(faults.calls(Operation.CONFIRM))
        .extracting(RecordedCall::fault, RecordedCall::delivered, RecordedCall::outcome)
        .containsOnly(tuple(Fault.DUPLICATE, true, CallOutcome.SUCCEEDED))
        .hasSize(2);
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(8, 0));
  }

  @Test
  void aTryDeliveredAfterItsCancelIsRefusedAndLeavesNothingReserved() throws Exception {
    faults.on(Operation.TRY).deliverAfterRollbackNext();

    Outcome outcome = buyOverHttp(2);

    assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(faults.calls())
        .extracting(RecordedCall::op, RecordedCall::delivered, RecordedCall::outcome)
        .containsExactly(
            tuple(Operation.TRY, false, CallOutcome.FAILED),
            tuple(Operation.CANCEL, true, CallOutcome.SUCCEEDED),
            tuple(Operation.TRY, true, CallOutcome.REFUSED));
    assertThat(stock.barrierRows(outcome.gid().value(), "b1"))
        .containsExactly("cancel/cancel", "try/cancel");
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(10, 0));
  }

  @Test
  void aHungConfirmTimesOutIsRetriedAndItsLateDeliveryIsSkipped() throws Exception {
    Hang hang = faults.on(Operation.CONFIRM).hangNext();

    Outcome first = buyOverHttp(2); // the confirm hangs past the HTTP call timeout
    assertThat(hang.hasCaughtACall()).isTrue();
    assertThat(first.status()).isNotEqualTo(GlobalStatus.COMMITTED);

    env.advance(Duration.ofSeconds(1));
    assertThat(env.cohort().outcome(first.gid()).status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(8, 0));

    hang.release(); // the hung confirm finally reaches the participant: the barrier skips it
    await().atMost(10, TimeUnit.SECONDS).until(() -> faults.calls(Operation.CONFIRM).size() == 2);
    assertThat(faults.calls(Operation.CONFIRM))
        .extracting(RecordedCall::fault, RecordedCall::delivered, RecordedCall::outcome)
        .containsExactlyInAnyOrder(
            tuple(Fault.NONE, true, CallOutcome.SUCCEEDED),
            tuple(Fault.HANG, true, CallOutcome.SUCCEEDED));
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(8, 0));
  }

  @Test
  void aRestartOnTheSameLogResumesAnUnfinishedCommit() throws Exception {
    faults.on(Operation.CONFIRM).failNext(1);
    Outcome first = buyOverHttp(2);
    assertThat(first.status()).isNotEqualTo(GlobalStatus.COMMITTED);

    env.restart();

    assertThat(env.cohort().outcome(first.gid()).status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(faults.faults(Operation.CONFIRM)).containsExactly(Fault.FAIL, Fault.NONE);
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(8, 0));
  }

  @Test
  void anInProcessTryHungPastTheDeadlineIsCancelledAndRefusedWhenItArrives() throws Exception {
    Hang hang = faults.on(Operation.TRY).hangNext();
    CompletableFuture<Outcome> running =
        CompletableFuture.supplyAsync(() ->
            env.cohort()
                .run(
                    Mode.TCC,
                    List.of(Branch.inProcess("b1", "local-stock", Stock.payload("A-1", 2)))));
    assertThat(hang.awaitCall(Duration.ofSeconds(10))).isTrue();

    env.advance(TestCoordinator.DEFAULT_OPTIONS.defaultTimeout().plusSeconds(1));
    Outcome outcome = running.get(10, TimeUnit.SECONDS);
    assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);

    hang.release();
    await().atMost(10, TimeUnit.SECONDS).until(() -> faults.calls(Operation.TRY).size() == 1);
    assertThat(faults.calls(Operation.TRY).getFirst().outcome())
        .as("the barrier saw the cancel first and refuses the late try")
        .isEqualTo(CallOutcome.REFUSED);
    assertThat(stock.barrierRows(outcome.gid().value(), "b1"))
        .containsExactly("cancel/cancel", "try/cancel");
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(10, 0));
  }

  /** The stock service as an in-process participant: the same barrier, no HTTP. */
  private static TccParticipant inProcess(Stock stock) {
    return TccParticipant.of(
        c -> guarded(stock, c, Operation.TRY, Stock::reserve),
        c -> guarded(stock, c, Operation.CONFIRM, Stock::take),
        c -> guarded(stock, c, Operation.CANCEL, Stock::release));
  }

  private static void guarded(Stock stock, BranchContext c, Operation op, BranchWork work)
      throws Exception {
    String gid = c.gid().value();
    String branch = c.branchId().value();
    BarrierResult result =
        stock
            .barrier()
            .run(
                gid,
                branch,
                op,
                connection ->
                    work.apply(new BranchRequest(connection, gid, branch, op, c.payload())));
    if (result == BarrierResult.REFUSED_AFTER_CANCEL) {
      throw new ParticipantRefusedException(op.code() + " arrived after its cancel");
    }
  }
}
