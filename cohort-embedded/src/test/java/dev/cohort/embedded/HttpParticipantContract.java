package dev.cohort.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.api.BranchContext;
import dev.cohort.api.BranchId;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Outcome;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.coordinator.http.ParticipantCallException;
import dev.cohort.participant.Keys;
import dev.cohort.participant.ParticipantEndpoint;
import dev.cohort.participant.ParticipantInProgressException;
import dev.cohort.participant.Stock;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import dev.cohort.testsupport.TestHttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HttpParticipant} calling {@link ParticipantEndpoint}s on a real HTTP server over a real
 * business database: the protocol's outcomes, signatures, and whole transactions driven by an
 * embedded coordinator. Subclasses choose the participant's database.
 */
abstract class HttpParticipantContract {
  @TempDir Path dir;

  private Stock stock;
  private TestHttpServer server;
  private HttpParticipant http;
  private final List<Integer> statuses = new CopyOnWriteArrayList<>();
  private final HttpClient raw = HttpClient.newHttpClient();

  protected abstract DataSource openDatabase() throws Exception;

  protected abstract void closeDatabase() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    stock = new Stock(openDatabase());
    stock.put("A-1", 10);
    stock.put("B-1", 1);
    CallSignature verifier = Keys.signature();
    server =
        new TestHttpServer()
            .route("/tcc", stock.tcc(verifier).build().jdkHandler())
            .route("/saga", stock.saga(verifier).build().jdkHandler());
    http =
        HttpParticipant.builder()
            .signer(Keys.signature())
            .callTimeout(Duration.ofSeconds(5))
            .observer((op, url, status, took) -> statuses.add(status))
            .build();
  }

  @AfterEach
  void tearDown() throws Exception {
    http.close();
    raw.close();
    server.close();
    closeDatabase();
  }

  /** One URL per operation; the endpoint mounted on /tcc dispatches on Cohort-Op. */
  private HttpTarget tcc(String sku, int qty) {
    return HttpTarget.tcc(
        server.url("/tcc/try"),
        server.url("/tcc/confirm"),
        server.url("/tcc/cancel"),
        Stock.payload(sku, qty));
  }

  /** Both operations on one URL. */
  private HttpTarget saga(String sku, int qty) {
    return HttpTarget.saga(server.url("/saga"), server.url("/saga"), Stock.payload(sku, qty));
  }

  private static BranchContext context(String gid, HttpTarget target) {
    return new BranchContext(Gid.of(gid), BranchId.of("b1"), target.encode(), 1);
  }

  @Test
  void shouldReserveOnTryAndTakeOnConfirmOnce() throws Exception {
    BranchContext c = context("g-confirm", tcc("A-1", 2));
    http.tryReserve(c);
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(8, 2));
    http.confirm(c);
    http.confirm(c); // redelivery: the barrier skips it
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(8, 0));
    assertThat(statuses).containsExactly(200, 200, 200);
  }

  @Test
  void shouldReleaseTheReservationOnCancel() throws Exception {
    BranchContext c = context("g-cancel", tcc("A-1", 3));
    http.tryReserve(c);
    http.cancel(c);
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(10, 0));
  }

  @Test
  void shouldTreatACancelBeforeItsTryAsEmptyRollbackAndRefuseTheLateTry() throws Exception {
    BranchContext c = context("g-hanging", tcc("A-1", 2));
    http.cancel(c);
    assertThatThrownBy(() -> http.tryReserve(c))
        .isInstanceOf(ParticipantRefusedException.class)
        .hasMessageContaining("arrived after its cancel");
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(10, 0));
  }

  @Test
  void shouldRefuseATryWithTheParticipantsReasonAndNoEffect() throws Exception {
    BranchContext c = context("g-refused", tcc("B-1", 5));
    assertThatThrownBy(() -> http.tryReserve(c))
        .isInstanceOf(ParticipantRefusedException.class)
        .hasMessageContaining("try http://127.0.0.1:")
        .hasMessageContaining("out of stock: B-1 x5")
        .hasMessageNotContaining("{");
    assertThat(stock.level("B-1")).isEqualTo(new Stock.Level(1, 0));
    assertThat(stock.barrierRows()).isZero();
  }

  @Test
  void shouldRunAndCompensateASagaStep() throws Exception {
    BranchContext c = context("g-saga", saga("A-1", 4));
    http.action(c);
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(6, 0));
    http.compensate(c);
    http.compensate(c);
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(10, 0));
  }

  @Test
  void shouldPollATryThatAnswersInProgressUntilItIsDone() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ParticipantEndpoint slow =
        stock
            .tcc(Keys.signature())
            .onTry(r -> {
              if (calls.incrementAndGet() <= 2) {
                throw new ParticipantInProgressException("reservation not finished");
              }
              Stock.reserve(r);
            })
            .build();
    server.route("/slow", slow.jdkHandler());
    URI url = server.url("/slow");
    HttpTarget target = HttpTarget.tcc(url, url, url, Stock.payload("A-1", 1));

    http.tryReserve(context("g-poll", target));

    assertThat(statuses).containsExactly(425, 425, 200);
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(9, 1));
  }

  @Test
  void shouldFailAConfirmInProgressTransientlyWithoutPolling() throws Exception {
    ParticipantEndpoint busy =
        stock
            .tcc(Keys.signature())
            .onConfirm(r -> {
              throw new ParticipantInProgressException("still shipping");
            })
            .build();
    server.route("/busy", busy.jdkHandler());
    URI url = server.url("/busy");
    BranchContext c = context("g-busy", HttpTarget.tcc(url, url, url, Stock.payload("A-1", 1)));
    http.tryReserve(c);

    assertThatThrownBy(() -> http.confirm(c))
        .isInstanceOfSatisfying(
            ParticipantCallException.class, e -> assertThat(e.inProgress()).isTrue())
        .hasMessageContaining("confirm http://127.0.0.1:")
        .hasMessageContaining("in progress (425)")
        .hasMessageContaining("still shipping");
    assertThat(statuses).containsExactly(200, 425);
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(9, 1));
  }

  // --- signatures: every refused call leaves the business table and the barrier untouched ---

  private Map<String, String> signedHeaders(String gid, String op, byte[] body) {
    return new HashMap<>(Keys.signature().sign(gid, "b1", op, body));
  }

  private HttpResponse<String> send(Map<String, String> headers, byte[] body) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(server.url("/tcc"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(r::header);
    return raw.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldRefuseACallWhoseBodyWasChanged() throws Exception {
    byte[] signed = Stock.payload("A-1", 1).getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = signedHeaders("g-forged", "try", signed);

    HttpResponse<String> answer =
        send(headers, Stock.payload("A-1", 9).getBytes(StandardCharsets.UTF_8));

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.body()).contains("\"error\":\"forged\"");
    assertUntouched();
  }

  @Test
  void shouldRefuseACallWhoseGidWasChanged() throws Exception {
    byte[] body = Stock.payload("A-1", 1).getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = signedHeaders("g-original", "try", body);
    headers.put(CallSignature.GID_HEADER, "g-other");

    assertThat(send(headers, body).statusCode()).isEqualTo(403);
    assertUntouched();
  }

  @Test
  void shouldRefuseAReplayedCall() throws Exception {
    byte[] body = Stock.payload("A-1", 1).getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = signedHeaders("g-replay", "cancel", body);
    assertThat(send(headers, body).statusCode()).isEqualTo(200);
    Stock.Level before = stock.level("A-1");
    int rowsBefore = stock.barrierRows();

    HttpResponse<String> replay = send(headers, body);

    assertThat(replay.statusCode()).isEqualTo(403);
    assertThat(replay.body()).contains("\"error\":\"replayed\"");
    assertThat(stock.level("A-1")).isEqualTo(before);
    assertThat(stock.barrierRows()).isEqualTo(rowsBefore);
  }

  @Test
  void shouldRefuseACallSignedTenMinutesAgo() throws Exception {
    Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));
    try (HttpParticipant late = HttpParticipant.builder().signer(Keys.signature(behind)).build()) {
      assertThatThrownBy(() -> late.tryReserve(context("g-stale", tcc("A-1", 1))))
          .isInstanceOfSatisfying(
              ParticipantCallException.class, e -> assertThat(e.status()).isEqualTo(403))
          .hasMessageContaining("answered 403")
          .hasMessageContaining("STALE");
    }
    assertUntouched();
  }

  @Test
  void shouldRefuseAnUnsignedCall() throws Exception {
    try (HttpParticipant unsigned = HttpParticipant.builder().unsigned().build()) {
      assertThatThrownBy(() -> unsigned.tryReserve(context("g-unsigned", tcc("A-1", 1))))
          .isInstanceOfSatisfying(
              ParticipantCallException.class, e -> assertThat(e.status()).isEqualTo(401));
    }
    assertUntouched();
  }

  @Test
  void shouldAnswer400ForAnOpTheEndpointDoesNotServe() throws Exception {
    byte[] body = Stock.payload("A-1", 1).getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> answer = send(signedHeaders("g-op", "action", body), body);
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("serves try, confirm, cancel");
    assertUntouched();
  }

  private void assertUntouched() throws Exception {
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(10, 0));
    assertThat(stock.barrierRows()).isZero();
  }

  // --- whole transactions through an embedded coordinator on an SQLite log ---

  private Outcome withCoordinator(java.util.function.Function<Coordinator, Outcome> body) {
    try (JdbcTransactionStore log = JdbcTransactionStore.sqlite(dir.resolve("log.db"));
        Coordinator coordinator =
            Coordinator.builder(log)
                .build()
                .registerTcc(HttpTarget.PARTICIPANT, http)
                .registerSagaStep(HttpTarget.PARTICIPANT, http)
                .start()) {
      return body.apply(coordinator);
    }
  }

  @Test
  void shouldCommitATccTransactionOverHttp() throws Exception {
    Outcome outcome =
        withCoordinator(c ->
            c.tcc()
                .branch(BranchId.of("a"), HttpTarget.PARTICIPANT, tcc("A-1", 2).encode())
                .branch(BranchId.of("b"), HttpTarget.PARTICIPANT, tcc("B-1", 1).encode())
                .execute());

    assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(8, 0));
    assertThat(stock.level("B-1")).isEqualTo(new Stock.Level(0, 0));
  }

  @Test
  void shouldCancelEveryBranchWhenATryIsRefused() throws Exception {
    Outcome outcome =
        withCoordinator(c ->
            c.tcc()
                .branch(BranchId.of("a"), HttpTarget.PARTICIPANT, tcc("A-1", 2).encode())
                .branch(BranchId.of("b"), HttpTarget.PARTICIPANT, tcc("B-1", 5).encode())
                .execute());

    assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(outcome.reason()).contains("out of stock: B-1 x5");
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(10, 0));
    assertThat(stock.level("B-1")).isEqualTo(new Stock.Level(1, 0));
    String gid = outcome.gid().value();
    assertThat(stock.barrierRows(gid, "a")).containsExactly("cancel/cancel", "try/try");
    // The refused try left no row, so its cancel was an empty rollback that blocks a late try.
    assertThat(stock.barrierRows(gid, "b")).containsExactly("cancel/cancel", "try/cancel");
  }

  @Test
  void shouldCompensateCompletedSagaStepsWhenALaterOneRefuses() throws Exception {
    Outcome outcome =
        withCoordinator(c ->
            c.saga()
                .step(HttpTarget.PARTICIPANT, saga("A-1", 3).encode())
                .step(HttpTarget.PARTICIPANT, saga("B-1", 5).encode())
                .execute());

    assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(outcome.reason()).contains("out of stock: B-1 x5");
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(10, 0));
    assertThat(stock.level("B-1")).isEqualTo(new Stock.Level(1, 0));
  }
}
