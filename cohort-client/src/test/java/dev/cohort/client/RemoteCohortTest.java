package dev.cohort.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.IllegalOperationException;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.api.UnknownTransactionException;
import dev.cohort.protocol.Operation;
import dev.cohort.testsupport.TestHttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP transport against canned answers in the shapes of docs/protocol.md: what it sends, and
 * how each documented error becomes the exception the embedded engine throws. (The behaviour
 * against the real server is {@link CohortContract}, run by cohort-server.)
 */
class RemoteCohortTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final URI TRY = URI.create("http://stock:8081/tcc/try");
  private static final URI CONFIRM = URI.create("http://stock:8081/tcc/confirm");
  private static final URI CANCEL = URI.create("http://stock:8081/tcc/cancel");

  private record Canned(int status, String body) {}

  private record Seen(
      String method, String path, String authorization, String type, JsonNode body) {}

  private final Map<String, Canned> answers = new ConcurrentHashMap<>();
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();
  private TestHttpServer server;
  private Cohort cohort;

  @BeforeEach
  void setUp() throws IOException {
    server = new TestHttpServer().route("/", this::answer);
    cohort =
        Cohort.connectTo(server.url("/"))
            .token("t0k")
            .requestTimeout(Duration.ofSeconds(5))
            .build();
    answers.put(
        "POST /v1/transactions",
        new Canned(
            201,
            "{\"gid\":\"order-42\",\"mode\":\"tcc\",\"status\":\"open\","
                + "\"deadline\":\"2026-11-21T18:00:30Z\"}"));
  }

  @AfterEach
  void tearDown() {
    cohort.close();
    server.close();
  }

  private void answer(HttpExchange e) throws IOException {
    String key = e.getRequestMethod() + " " + e.getRequestURI().getPath();
    byte[] in = e.getRequestBody().readAllBytes();
    seen.put(
        key,
        new Seen(
            e.getRequestMethod(),
            e.getRequestURI().getPath(),
            e.getRequestHeaders().getFirst("Authorization"),
            e.getRequestHeaders().getFirst("Content-Type"),
            in.length == 0 ? null : JSON.readTree(in)));
    Canned c = answers.getOrDefault(key, new Canned(404, "{\"error\":\"not_found\"}"));
    byte[] out = c.body().getBytes(StandardCharsets.UTF_8);
    e.sendResponseHeaders(c.status(), out.length);
    e.getResponseBody().write(out);
    e.close();
  }

  private void cann(String key, int status, String body) {
    answers.put(key, new Canned(status, body));
  }

  @Test
  void beginSendsTheModeAndTimeoutWithTheToken() {
    Transaction tx = cohort.begin(Mode.TCC, Duration.ofSeconds(5));

    assertThat(tx.gid()).isEqualTo(Gid.of("order-42"));
    Seen request = seen.get("POST /v1/transactions");
    assertThat(request.authorization()).isEqualTo("Bearer t0k");
    assertThat(request.type()).startsWith("application/json");
    assertThat(request.body().toString()).isEqualTo("{\"mode\":\"tcc\",\"timeoutMs\":5000}");
  }

  @Test
  void registerSendsTheDocumentedBranchShapes() {
    cann(
        "POST /v1/transactions/order-42/branches",
        200,
        "{\"gid\":\"order-42\",\"status\":\"open\"}");
    cohort
        .begin(Mode.TCC)
        .register(Branch.tcc("stock", TRY, CONFIRM, CANCEL, "{\"sku\":\"A-1\",\"qty\":2}"));
    assertThat(seen.get("POST /v1/transactions/order-42/branches").body().toString())
        .isEqualTo(
            "{\"branchId\":\"stock\",\"try\":\"http://stock:8081/tcc/try\","
                + "\"confirm\":\"http://stock:8081/tcc/confirm\","
                + "\"cancel\":\"http://stock:8081/tcc/cancel\","
                + "\"payload\":{\"sku\":\"A-1\",\"qty\":2}}");

    cann(
        "POST /v1/transactions",
        201,
        "{\"gid\":\"s-1\",\"mode\":\"saga\",\"status\":\"open\",\"deadline\":null}");
    cann("POST /v1/transactions/s-1/branches", 201, "{\"gid\":\"s-1\",\"status\":\"open\"}");
    cohort.begin(Mode.SAGA).register(Branch.saga("ship", TRY, CANCEL, "{\"order\":42}", true));
    assertThat(seen.get("POST /v1/transactions/s-1/branches").body().toString())
        .isEqualTo(
            "{\"branchId\":\"ship\",\"action\":\"http://stock:8081/tcc/try\","
                + "\"compensate\":\"http://stock:8081/tcc/cancel\",\"recovery\":\"forward\","
                + "\"payload\":{\"order\":42}}");
  }

  @Test
  void runSubmitsTheBranchesInOneRequest() {
    cann(
        "POST /v1/transactions",
        200,
        "{\"gid\":\"order-43\",\"status\":\"committed\",\"reason\":null}");
    Outcome outcome =
        cohort.run(Mode.TCC, List.of(Branch.tcc("stock", TRY, CONFIRM, CANCEL, null)));

    assertThat(outcome).isEqualTo(new Outcome(Gid.of("order-43"), GlobalStatus.COMMITTED, null));
    JsonNode body = seen.get("POST /v1/transactions").body();
    assertThat(body.path("submit").asBoolean()).isTrue();
    assertThat(body.path("branches").get(0).path("payload").isNull()).isTrue();
  }

  @Test
  void aRefusedTryBecomesTransactionRolledBack() {
    cann(
        "POST /v1/transactions/order-42/branches",
        409,
        "{\"error\":\"refused\",\"message\":\"out of stock\",\"gid\":\"order-42\","
            + "\"status\":\"rolled_back\"}");
    Transaction tx = cohort.begin(Mode.TCC);

    assertThatThrownBy(() -> tx.register(Branch.tcc("stock", TRY, CONFIRM, CANCEL, "{}")))
        .isInstanceOfSatisfying(
            TransactionRolledBackException.class,
            e ->
                assertThat(e.outcome())
                    .isEqualTo(
                        new Outcome(Gid.of("order-42"), GlobalStatus.ROLLED_BACK, "out of stock")));
  }

  @Test
  void aConflictBecomesIllegalOperationWithTheCurrentStatus() {
    cann(
        "POST /v1/transactions/order-42/abort",
        409,
        "{\"error\":\"conflict\",\"message\":\"transaction order-42 is committed: cannot"
            + " abort\",\"status\":\"committed\",\"gid\":\"order-42\"}");
    Transaction tx = cohort.begin(Mode.TCC);

    assertThatThrownBy(tx::abort)
        .isInstanceOfSatisfying(
            IllegalOperationException.class,
            e -> {
              assertThat(e.status()).isEqualTo(GlobalStatus.COMMITTED);
              assertThat(e.gid()).isEqualTo(Gid.of("order-42"));
            })
        .hasMessage("transaction order-42 is committed: cannot abort");
  }

  @Test
  void notFoundBecomesUnknownTransaction() {
    assertThatThrownBy(() -> cohort.outcome(Gid.of("nope")))
        .isInstanceOf(UnknownTransactionException.class)
        .hasMessageContaining("nope");
  }

  @Test
  void badRequestBecomesInvalidInputNamingTheField() {
    cann(
        "POST /v1/transactions",
        400,
        "{\"error\":\"bad_request\",\"message\":\"timeoutMs too large\",\"field\":\"timeoutMs\"}");
    assertThatThrownBy(() -> cohort.begin(Mode.SAGA))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("timeoutMs too large (field 'timeoutMs')");
  }

  @Test
  void aRefusedTokenSaysHowToFixIt() {
    cann("POST /v1/transactions", 403, "{\"error\":\"forbidden\",\"message\":\"wrong token\"}");
    assertThatThrownBy(() -> cohort.begin(Mode.TCC))
        .isInstanceOfSatisfying(
            CohortAuthException.class, e -> assertThat(e.status()).isEqualTo(403))
        .hasMessageContaining("wrong token")
        .hasMessageContaining("COHORT_TOKEN")
        .hasMessageNotContaining("t0k");
  }

  @Test
  void serverFailuresAreTransportErrorsWithTheStatus() {
    cann("POST /v1/transactions", 503, "{\"error\":\"unavailable\",\"message\":\"log down\"}");
    assertThatThrownBy(() -> cohort.begin(Mode.TCC))
        .isInstanceOfSatisfying(
            CohortTransportException.class, e -> assertThat(e.status()).isEqualTo(503))
        .hasMessageContaining("log down");
    cann("POST /v1/transactions", 502, "<html>bad gateway</html>");
    assertThatThrownBy(() -> cohort.begin(Mode.TCC))
        .isInstanceOf(CohortTransportException.class)
        .hasMessageContaining("502")
        .hasMessageContaining("bad gateway");
  }

  @Test
  void statusReadsTheDocumentedQueryAnswer() {
    cann(
        "GET /v1/transactions/order-42",
        200,
        "{\"gid\":\"order-42\",\"mode\":\"tcc\",\"status\":\"committed\",\"reason\":null,"
            + "\"parallel\":false,\"createdAt\":\"2026-11-21T18:00:00Z\","
            + "\"updatedAt\":\"2026-11-21T18:00:01Z\",\"deadline\":\"2026-11-21T18:00:30Z\","
            + "\"attempts\":0,\"branches\":[{\"branchId\":\"stock\",\"seq\":0,"
            + "\"status\":\"confirmed\",\"attempts\":0,\"lastError\":null,"
            + "\"try\":\"http://stock:8081/tcc/try\",\"confirm\":\"http://stock:8081/tcc/confirm\","
            + "\"cancel\":\"http://stock:8081/tcc/cancel\",\"payload\":{\"sku\":\"A-1\"}}],"
            + "\"timeline\":[]}");

    TransactionInfo info = cohort.status(Gid.of("order-42"));

    assertThat(info.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(info.deadline()).isEqualTo(Instant.parse("2026-11-21T18:00:30Z"));
    assertThat(info.branches())
        .singleElement()
        .satisfies(b -> {
          assertThat(b.status()).isEqualTo(BranchStatus.CONFIRMED);
          assertThat(b.target().url(Operation.CANCEL)).isEqualTo(CANCEL);
          assertThat(b.payload()).isEqualTo("{\"sku\":\"A-1\"}");
        });
    // Reads need a token too (docs/protocol.md, "Authentication").
    assertThat(seen.get("GET /v1/transactions/order-42").authorization()).isEqualTo("Bearer t0k");
  }

  @Test
  void anInProcessBranchIsRefusedBeforeAnyRequest() {
    Transaction tx = cohort.begin(Mode.TCC);
    seen.clear();
    assertThatThrownBy(() -> tx.register(Branch.inProcess("b", "account", "x")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("a coordinator server cannot call into this JVM");
    assertThat(seen).isEmpty();
  }

  @Test
  void anUnreachableServerIsATransportError() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (Cohort gone = Cohort.connect(URI.create("http://127.0.0.1:" + port), "t")) {
      assertThatThrownBy(() -> gone.begin(Mode.TCC))
          .isInstanceOfSatisfying(
              CohortTransportException.class, e -> assertThat(e.status()).isEqualTo(-1))
          .hasMessageContaining("could not reach the coordinator at http://127.0.0.1:" + port);
    }
  }

  @Test
  void settingsAreCheckedWithTheFix() {
    assertThatThrownBy(() -> Cohort.connect(URI.create("ftp://x"), "t"))
        .hasMessageContaining("absolute http(s) URL");
    assertThatThrownBy(() -> Cohort.connectTo(URI.create("http://x")).build())
        .hasMessageContaining("needs the server's token");
    assertThatThrownBy(() -> Cohort.connect(URI.create("http://x"), " "))
        .hasMessageContaining("token is blank");
    assertThat(cohort.toString()).doesNotContain("t0k");
  }
}
