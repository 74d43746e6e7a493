package dev.cohort.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.client.Branch;
import dev.cohort.client.Cohort;
import dev.cohort.client.Transaction;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.messagemode.HttpMessageParticipant;
import dev.cohort.messagemode.ReliableMessageMode;
import dev.cohort.messaging.CheckBackEndpoint;
import dev.cohort.messaging.DuplicateMessageException;
import dev.cohort.messaging.Message;
import dev.cohort.messaging.MessagingTables;
import dev.cohort.messaging.Outbox;
import dev.cohort.messaging.OutboxStatus;
import dev.cohort.protocol.CallSignature;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import dev.cohort.testing.time.MutableClock;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestHttpServer;
import dev.cohort.testsupport.TestServices;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliable messages through the server's {@code /v1} API, the submit lost: the coordinator checks
 * back over HTTP (a signed {@code check} call) with the service, whose {@link CheckBackEndpoint}
 * answers from its outbox in a real PostgreSQL; the receiver is a plain HTTP endpoint.
 */
class ReliableMessageServerIT {
  private static final String TOKEN = "reliable-message-token-0123456789";
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(START);
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger checks = new AtomicInteger();
  private final AtomicReference<HttpHandler> check = new AtomicReference<>();
  private TestServices services;
  private DatabasePair db;
  private Outbox outbox;
  private TestHttpServer service;
  private CohortServer server;
  private ApiClient api;

  /** Real time for the signatures (the skew check), the server's clock moved by hand. */
  private static CallSignature key() {
    return new CallSignature(
        Map.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)),
        "k1",
        CallSignature.DEFAULT_MAX_SKEW,
        Clock.systemUTC());
  }

  @BeforeEach
  void setUp() throws Exception {
    services = TestServices.load();
    db = services.postgres().isolated("reliable_message_server_it");
    MessagingTables tables = MessagingTables.of(db.primary()).migrate();
    outbox = Outbox.builder(tables).build();
    try (Connection c = db.primary().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id TEXT PRIMARY KEY)");
    }
    check.set(CheckBackEndpoint.of(outbox, key()).jdkHandler());
    service =
        new TestHttpServer()
            .route(
                "/orders/check",
                exchange -> {
                  checks.incrementAndGet();
                  check.get().handle(exchange);
                })
            .route("/shipping/receive", this::receive);
    HttpParticipant calls = HttpParticipant.builder().signer(key()).build();
    HttpMessageParticipant http = HttpMessageParticipant.over(calls);
    server =
        CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log.db")))
            .port(0)
            .token(TOKEN)
            .clock(clock)
            .options(
                CoordinatorOptions.newBuilder()
                    .nodeId("node-1")
                    .initialBackoff(Duration.ofSeconds(1))
                    .jitter(0.0)
                    .pollInterval(Duration.ofHours(1))
                    .build())
            .mode(ReliableMessageMode.Processor::new)
            .httpParticipant(calls) // TCC and saga calls too; closed with the server
            .httpParticipant(ReliableMessageMode.CHECKS, http)
            .httpParticipant(ReliableMessageMode.RECEIVERS, http)
            .build()
            .start();
    api = new ApiClient(server.port(), TOKEN);
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
    if (service != null) {
      service.close();
    }
    db.close();
    services.close();
  }

  @Test
  void aLostSubmitAfterTheLocalTransactionCommittedIsCommittedByTheCheckBack() throws Exception {
    prepare("order-1");
    placeOrder("order-1"); // the local transaction commits; its submit never reaches the server

    passTheDeadline();

    awaitStatus("order-1", "committed");
    assertThat(checks).hasValue(1);
    assertThat(received).containsExactly("order-1 ship receive {\"order\":\"order-1\"}");
    assertThat(outbox.find("order-1").orElseThrow().status()).isEqualTo(OutboxStatus.PENDING);
  }

  /**
   * The same flow through the Java SDK: begin a {@code msg} transaction, register the check-back
   * and a receiver, commit the local transaction, submit with {@code commit()}.
   */
  @Test
  void theSdkPreparesAndSubmitsAMessageTransaction() throws Exception {
    try (Cohort cohort = Cohort.connect(URI.create("http://127.0.0.1:" + server.port()), TOKEN)) {
      Transaction tx = cohort.begin(Mode.fromCode("msg"), Duration.ofSeconds(30));
      String gid = tx.gid().value();
      tx.register(Branch.checkBack("source", service.url("/orders/check")));
      tx.register(
          Branch.receiver("ship", service.url("/shipping/receive"), "{\"order\":\"" + gid + "\"}"));
      placeOrder(gid);

      Outcome submitted = tx.commit();

      assertThat(submitted.status()).isIn(GlobalStatus.COMMITTING, GlobalStatus.COMMITTED);
      awaitStatus(gid, "committed");
      assertThat(checks).as("submitted in time: no check-back").hasValue(0);
      assertThat(received).containsExactly(gid + " ship receive {\"order\":\"" + gid + "\"}");
    }
  }

  /** The SDK refuses a receiver registered first: the check-back must lead. */
  @Test
  void theSdkIsToldWhenTheCheckBackIsNotFirst() {
    try (Cohort cohort = Cohort.connect(URI.create("http://127.0.0.1:" + server.port()), TOKEN)) {
      Transaction tx = cohort.begin(Mode.fromCode("msg"), Duration.ofSeconds(30));

      assertThatThrownBy(
              () -> tx.register(Branch.receiver("ship", service.url("/shipping/receive"), null)))
          .hasMessageContaining("check-back");
    }
  }

  @Test
  void aLostSubmitWithoutTheLocalTransactionIsRolledBackAndTheIdClosed() throws Exception {
    prepare("order-2");

    passTheDeadline();

    awaitStatus("order-2", "rolled_back");
    assertThat(checks).hasValue(1);
    assertThat(received).isEmpty();
    assertThat(outbox.find("order-2").orElseThrow().status()).isEqualTo(OutboxStatus.VOIDED);
    // The local transaction that comes late cannot commit its message any more.
    assertThatThrownBy(() -> placeOrder("order-2")).isInstanceOf(DuplicateMessageException.class);
    assertThat(orderCount("order-2")).isZero();
  }

  @Test
  void aCheckBackTheServiceCannotAnswerIsAskedAgainAfterTheBackoff() throws Exception {
    prepare("order-3");
    placeOrder("order-3");
    HttpHandler outboxAnswers = check.get();
    check.set(
        exchange -> answer(exchange, 425, "{\"error\":\"not_known_yet\",\"message\":\"busy\"}"));

    passTheDeadline();

    await().until(() -> checks.get() == 1);
    await()
        .until(() -> api.get("/v1/transactions/order-3").text().contains("cannot tell yet (425)"));
    assertThat(api.get("/v1/transactions/order-3").field("status")).isEqualTo("open");
    check.set(outboxAnswers);

    clock.advance(Duration.ofSeconds(2)); // past the first backoff (1 s)
    server.coordinator().pollNow();

    awaitStatus("order-3", "committed");
    assertThat(checks).hasValue(2);
    assertThat(received).hasSize(1);
  }

  @Test
  void aReceiverGivenWhereTheCheckBackBelongsIsRefusedWhenRegistered() {
    ApiClient.Answer refused =
        api.post(
            "/v1/transactions",
            "{\"mode\":\"msg\",\"gid\":\"order-4\",\"timeoutMs\":5000,\"branches\":["
                + "{\"branchId\":\"ship\",\"receive\":\""
                + service.url("/shipping/receive")
                + "\"},{\"branchId\":\"ship2\",\"receive\":\""
                + service.url("/shipping/receive")
                + "\"}]}");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.text()).contains("check-back").contains("'check' URL");
  }

  /** Prepare: open the transaction with its check-back branch and its receiver, no submit. */
  private void prepare(String gid) {
    ApiClient.Answer created =
        api.post(
            "/v1/transactions",
            "{\"mode\":\"msg\",\"gid\":\""
                + gid
                + "\",\"timeoutMs\":5000,\"branches\":["
                + "{\"branchId\":\"source\",\"check\":\""
                + service.url("/orders/check")
                + "\"},{\"branchId\":\"ship\",\"receive\":\""
                + service.url("/shipping/receive")
                + "\",\"payload\":{\"order\":\""
                + gid
                + "\"}}]}");
    assertThat(created.status()).as(created.text()).isEqualTo(201);
  }

  /** The service's local transaction: the business row and the message, both or neither. */
  private void placeOrder(String gid) throws SQLException {
    try (Connection c = db.primary().getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO orders VALUES ('" + gid + "')");
        outbox.append(
            c,
            Message.of(gid, "orders.placed", gid, "order.placed", "{\"order\":\"" + gid + "\"}"));
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private int orderCount(String gid) throws SQLException {
    try (Connection c = db.primary().getConnection();
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM orders WHERE id = '" + gid + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** The engine resumes on its own threads: wait for the answer to show (polled, no sleep). */
  private void awaitStatus(String gid, String status) {
    await().until(() -> status.equals(api.get("/v1/transactions/" + gid).field("status")));
  }

  private void passTheDeadline() {
    clock.advance(Duration.ofSeconds(6));
    server.coordinator().pollNow();
  }

  private void receive(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    var h = exchange.getRequestHeaders();
    try {
      key().verify(h::getFirst, body.getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      answer(exchange, 403, "{\"error\":\"forbidden\"}");
      return;
    }
    received.add(
        h.getFirst(CallSignature.GID_HEADER)
            + " "
            + h.getFirst(CallSignature.BRANCH_HEADER)
            + " "
            + h.getFirst(CallSignature.OP_HEADER)
            + " "
            + body);
    answer(exchange, 200, "{\"result\":\"applied\"}");
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] out = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, out.length);
    exchange.getResponseBody().write(out);
    exchange.close();
  }
}
