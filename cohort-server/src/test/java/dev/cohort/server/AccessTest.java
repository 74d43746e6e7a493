package dev.cohort.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.v1.CoordinatorCallException;
import dev.cohort.protocol.v1.CoordinatorClient;
import dev.cohort.protocol.v1.Credential;
import dev.cohort.protocol.v1.ErrorCode;
import dev.cohort.protocol.v1.ParticipantOutcome;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may call what (docs/protocol.md, "Authentication"): every endpoint class against every
 * credential, and a participant's signed outcome query of its own gid, another's, with a bad
 * signature and replayed.
 */
class AccessTest {
  static final String OPERATOR = "operator-token-0123456789";
  static final String CLIENT = "client-token-0123456789ab";
  static final String READER = "reader-token-0123456789ab";
  static final String READER_NEXT = "reader-token-next-0123456789";
  static final byte[] STOCK_KEY =
      "stock-key-0123456789abcdef-0123456".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  CohortServer server;
  ApiClient api;

  @BeforeEach
  void start() {
    server =
        CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log.db")))
            .port(0)
            .token(OPERATOR)
            .accessToken(AccessToken.client("orders-service", CLIENT))
            .accessToken(AccessToken.reader("dashboards", READER))
            .accessToken(AccessToken.reader("dashboards-2026-12", READER_NEXT))
            .participantKey(new ParticipantKey("stock-1", STOCK_KEY, Set.of("stock.internal:8081")))
            .httpParticipant(HttpParticipant.builder().unsigned().build())
            .build()
            .start();
    api = new ApiClient(server.port(), OPERATOR);
    // Two open sagas: nothing is called before commit, so the URLs need not answer.
    openSaga("g-stock", "http://stock.internal:8081/reserve");
    openSaga("g-pay", "http://pay.internal:8082/charge");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void openSaga(String gid, String url) {
    assertThat(api.post("/v1/transactions", "{\"mode\":\"saga\",\"gid\":\"" + gid + "\"}").status())
        .isEqualTo(201);
    String branch =
        "{\"branchId\":\"s1\",\"action\":\"" + url + "\",\"compensate\":\"" + url + "-undo\"}";
    assertThat(api.post("/v1/transactions/" + gid + "/branches", branch).status()).isEqualTo(201);
  }

  /** What a credential gets: let through (any answer but 401/403), 401 or 403. */
  enum Expect {
    PASS,
    UNAUTHORIZED,
    FORBIDDEN
  }

  static final Expect P = Expect.PASS;
  static final Expect U = Expect.UNAUTHORIZED;
  static final Expect F = Expect.FORBIDDEN;

  /** method, path, body; then none, unknown token, reader, client, operator. */
  static Stream<Arguments> table() {
    return Stream.of(
        row("GET", "/health", null, P, P, P, P, P),
        row("GET", "/metrics", null, U, F, P, P, P),
        row("GET", "/v1/transactions", null, U, F, P, P, P),
        row("GET", "/v1/transactions/g-stock", null, U, F, P, P, P),
        row("GET", "/v1/transactions/g-stock/outcome", null, U, F, P, P, P),
        row("POST", "/v1/transactions", "{\"mode\":\"tcc\"}", U, F, F, P, P),
        row(
            "POST",
            "/v1/transactions/g-pay/branches",
            "{\"branchId\":\"s2\",\"action\":\"http://pay.internal/x\"}",
            U,
            F,
            F,
            P,
            P),
        row("POST", "/v1/transactions/nope/commit", "{}", U, F, F, P, P),
        row("POST", "/v1/transactions/nope/submit", "{}", U, F, F, P, P),
        row("POST", "/v1/transactions/nope/abort", "{}", U, F, F, P, P),
        row("POST", "/v1/transactions/nope/retry", "{}", U, F, F, F, P),
        row("POST", "/v1/transactions/nope/resolve", "{\"reason\":\"by hand\"}", U, F, F, F, P));
  }

  private static Arguments row(
      String method,
      String path,
      String body,
      Expect none,
      Expect unknown,
      Expect reader,
      Expect client,
      Expect operator) {
    return Arguments.of(method, path, body, List.of(none, unknown, reader, client, operator));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("table")
  void eachEndpointClassAnswersEachRoleAsTheTableSays(
      String method, String path, String body, List<Expect> expected) {
    String[] tokens = {null, "not-a-token-of-this-server", READER, CLIENT, OPERATOR};
    String[] names = {"no token", "unknown token", "reader", "client", "operator"};
    for (int i = 0; i < tokens.length; i++) {
      ApiClient.Answer answer = send(method, path, body, tokens[i]);
      String what = method + " " + path + " with " + names[i] + ": " + answer.text();
      switch (expected.get(i)) {
        case PASS -> assertThat(answer.status()).as(what).isNotIn(401, 403);
        case UNAUTHORIZED -> {
          assertThat(answer.status()).as(what).isEqualTo(401);
          assertThat(answer.field("error")).as(what).isEqualTo("unauthorized");
          assertThat(answer.field("message")).as(what).contains("Authorization: Bearer");
        }
        case FORBIDDEN -> {
          assertThat(answer.status()).as(what).isEqualTo(403);
          assertThat(answer.field("error")).as(what).isEqualTo("forbidden");
          assertThat(answer.field("message"))
              .as(what)
              .containsAnyOf("needs", "not one of this server's tokens");
        }
      }
    }
  }

  private ApiClient.Answer send(String method, String path, String body, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return api.send(b);
  }

  @Test
  void aRoleTooLowIsToldWhichTokenItUsedAndWhatTheEndpointNeeds() {
    ApiClient.Answer answer = api.post("/v1/transactions/g-pay/retry", "{}", CLIENT);
    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.field("message"))
        .contains("token 'orders-service' has role client")
        .contains("needs operator")
        .doesNotContain(CLIENT);
  }

  @Test
  void everyTokenOfARoleIsAcceptedSoTokensRotate() {
    assertThat(api.get("/v1/transactions", READER).status()).isEqualTo(200);
    assertThat(api.get("/v1/transactions", READER_NEXT).status()).isEqualTo(200);
    assertThat(api.post("/v1/transactions/g-pay/abort", "{}", READER_NEXT).status()).isEqualTo(403);
  }

  @Test
  void healthRevealsNoTransactionData() {
    ApiClient.Answer health = api.get("/health", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.text()).doesNotContain("g-stock").doesNotContain("stock.internal");
  }

  private CoordinatorClient participantClient(byte[] key) {
    CallSignature signer =
        new CallSignature(
            Map.of("stock-1", key), "stock-1", CallSignature.DEFAULT_MAX_SKEW, Clock.systemUTC());
    return new CoordinatorClient(
        URI.create("http://127.0.0.1:" + server.port()),
        Credential.signed(signer),
        Duration.ofSeconds(2),
        Duration.ofSeconds(10),
        null);
  }

  @Test
  void aParticipantSigningWithItsKeyIsAnsweredForItsOwnGid() {
    try (CoordinatorClient stock = participantClient(STOCK_KEY)) {
      ParticipantOutcome outcome = stock.outcome("g-stock");
      assertThat(outcome.gid()).isEqualTo("g-stock");
      assertThat(outcome.status()).isEqualTo("open");
      assertThat(outcome.decision()).isNull();
      // Once decided, the same query says so.
      assertThat(api.post("/v1/transactions/g-stock/abort", "{}").status()).isEqualTo(200);
      assertThat(stock.outcome("g-stock").decision()).isEqualTo("rollback");
    }
  }

  @Test
  void anotherParticipantsGidAndAnUnknownGidGetTheSame403() {
    try (CoordinatorClient stock = participantClient(STOCK_KEY)) {
      CoordinatorCallException other =
          (CoordinatorCallException)
              org.assertj.core.api.Assertions.catchThrowable(() -> stock.outcome("g-pay"));
      CoordinatorCallException unknown =
          (CoordinatorCallException)
              org.assertj.core.api.Assertions.catchThrowable(() -> stock.outcome("g-nobody"));
      assertThat(other.status()).isEqualTo(403);
      assertThat(other.code()).isEqualTo(ErrorCode.FORBIDDEN);
      assertThat(unknown.status()).isEqualTo(403);
      assertThat(unknown.code()).isEqualTo(ErrorCode.FORBIDDEN);
      // Word for word the same but for the gid: nothing says whether g-nobody exists.
      assertThat(unknown.serverMessage().replace("g-nobody", "GID"))
          .isEqualTo(other.serverMessage().replace("g-pay", "GID"));
    }
  }

  @Test
  void aParticipantSignatureOpensOnlyTheOutcomeQueryNotTheTransaction() {
    try (CoordinatorClient stock = participantClient(STOCK_KEY)) {
      assertThatThrownBy(() -> stock.show("g-stock"))
          .isInstanceOfSatisfying(
              CoordinatorCallException.class, e -> assertThat(e.status()).isEqualTo(401));
      assertThatThrownBy(() -> stock.list(Map.of()))
          .isInstanceOfSatisfying(
              CoordinatorCallException.class, e -> assertThat(e.status()).isEqualTo(401));
    }
  }

  @Test
  void aBadSignatureIsRefused() {
    byte[] wrongKey = "another-key-0123456789abcdef-01234".getBytes(StandardCharsets.UTF_8);
    try (CoordinatorClient impostor = participantClient(wrongKey)) {
      assertThatThrownBy(() -> impostor.outcome("g-stock"))
          .isInstanceOfSatisfying(
              CoordinatorCallException.class,
              e -> {
                assertThat(e.status()).isEqualTo(403);
                assertThat(e.serverMessage()).contains("signature does not match");
              });
    }
    // An unknown key id is refused the same way, without listing the server's key ids.
    CallSignature stranger =
        new CallSignature(
            Map.of("who", STOCK_KEY), "who", CallSignature.DEFAULT_MAX_SKEW, Clock.systemUTC());
    ApiClient.Answer answer = signed("/v1/transactions/g-stock/outcome", stranger);
    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.text()).doesNotContain("stock-1");
  }

  @Test
  void aReplayedQueryIsRefused() {
    CallSignature signer =
        new CallSignature(
            Map.of("stock-1", STOCK_KEY),
            "stock-1",
            CallSignature.DEFAULT_MAX_SKEW,
            Clock.systemUTC());
    String path = "/v1/transactions/g-stock/outcome";
    Map<String, String> headers = signer.signRequest("GET", path, new byte[0]);
    assertThat(sendWith(path, headers).status()).isEqualTo(200);
    ApiClient.Answer replay = sendWith(path, headers);
    assertThat(replay.status()).isEqualTo(403);
    assertThat(replay.field("message")).contains("replay");
  }

  @Test
  void aStaleSignatureIsRefused() {
    CallSignature lateClock =
        new CallSignature(
            Map.of("stock-1", STOCK_KEY),
            "stock-1",
            CallSignature.DEFAULT_MAX_SKEW,
            Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
    ApiClient.Answer answer = signed("/v1/transactions/g-stock/outcome", lateClock);
    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.field("message")).contains("clock skew");
  }

  @Test
  void aSignatureForOnePathDoesNotOpenAnother() {
    CallSignature signer =
        new CallSignature(
            Map.of("stock-1", STOCK_KEY),
            "stock-1",
            CallSignature.DEFAULT_MAX_SKEW,
            Clock.systemUTC());
    Map<String, String> forStock =
        signer.signRequest("GET", "/v1/transactions/g-stock/outcome", new byte[0]);
    ApiClient.Answer moved = sendWith("/v1/transactions/g-pay/outcome", forStock);
    assertThat(moved.status()).isEqualTo(403);
    assertThat(moved.field("message")).contains("signature does not match");
  }

  private ApiClient.Answer signed(String path, CallSignature signer) {
    return sendWith(path, signer.signRequest("GET", path, new byte[0]));
  }

  private ApiClient.Answer sendWith(String path, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET();
    headers.forEach(b::header);
    return api.send(b);
  }

  @Test
  void aReaderTokenAsksAboutAnyGid() {
    assertThat(api.get("/v1/transactions/g-pay/outcome", READER).status()).isEqualTo(200);
  }

  @Test
  void aReaderAskingAboutAnUnknownGidHearsAFinalRollbackThatTheLogKeeps() {
    assertThat(api.get("/v1/transactions/g-nobody", READER).status()).isEqualTo(404);

    ApiClient.Answer answer = api.get("/v1/transactions/g-nobody/outcome", READER);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.field("status")).isEqualTo("rolled_back");
    assertThat(answer.field("decision")).isEqualTo("rollback");
    // Recorded: the gid can no longer be run, so the answer never changes.
    assertThat(api.get("/v1/transactions/g-nobody", READER).status()).isEqualTo(200);
    assertThat(api.get("/v1/transactions/g-nobody/outcome", READER).field("decision"))
        .isEqualTo("rollback");
  }

  @Test
  void metricsCanBeOpenedForAScraperWithoutAToken() {
    try (CohortServer open =
        CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("open.db")))
            .port(0)
            .token(OPERATOR)
            .openMetrics(true)
            .build()
            .start()) {
      ApiClient anonymous = new ApiClient(open.port(), null);
      assertThat(anonymous.get("/metrics").status()).isEqualTo(200);
      assertThat(anonymous.get("/v1/transactions").status()).isEqualTo(401);
    }
  }

  @Test
  void tokensAreCheckedWhenTheServerIsBuilt() {
    try (JdbcTransactionStore store = JdbcTransactionStore.sqlite(dir.resolve("bad.db"))) {
      var sameId =
          CohortServer.builder(store)
              .token(OPERATOR)
              .accessToken(AccessToken.reader("operator", READER));
      assertThatThrownBy(sameId::build)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("two tokens have the id 'operator'");
      var sameSecret =
          CohortServer.builder(store)
              .accessToken(AccessToken.reader("a", READER))
              .accessToken(AccessToken.operator("b", READER));
      assertThatThrownBy(sameSecret::build)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("same secret")
          .hasMessageNotContaining(READER);
    }
    assertThatThrownBy(() -> AccessToken.reader("x", "short"))
        .hasMessageContaining("at least 16 characters")
        .hasMessageNotContaining("short");
    assertThat(AccessToken.reader("x", READER).toString()).doesNotContain(READER);
  }
}
