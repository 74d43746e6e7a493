package dev.cohort.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.coordinator.AlertWebhook;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.coordinator.spi.TransactionStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint's happy path against participants that follow docs/protocol.md, on the log the
 * subclass provides (SQLite in the unit suite, PostgreSQL in the integration suite).
 */
abstract class ServerContract {
  static final String TOKEN = "test-token-0123456789abcdef";

  Participants participants;
  CohortServer server;
  ApiClient api;

  abstract TransactionStore newStore() throws Exception;

  @BeforeEach
  void startServer() throws Exception {
    participants = new Participants();
    ServerMetrics metrics =
        new ServerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    server =
        CohortServer.builder(newStore())
            .port(0)
            .token(TOKEN)
            .metrics(metrics)
            .options(
                CoordinatorOptions.newBuilder()
                    .nodeId("test-node")
                    .initialBackoff(Duration.ofMillis(20))
                    .maxBackoff(Duration.ofMillis(100))
                    .pollInterval(Duration.ofMillis(50))
                    .build())
            .httpParticipant(
                HttpParticipant.builder().unsigned().observer(metrics::onBranchCall).build())
            .listener(
                new AlertWebhook(
                    java.net.URI.create(participants.url("/alerts")),
                    3,
                    Duration.ofSeconds(5),
                    Duration.ofMillis(50)))
            .build()
            .start();
    api = new ApiClient(server.port(), TOKEN);
  }

  @AfterEach
  void stopServer() {
    server.close();
    participants.close();
  }

  String tccBranch(String id, String service, String payload) {
    return "{\"branchId\":\""
        + id
        + "\",\"try\":\""
        + participants.url("/" + service + "/try")
        + "\",\"confirm\":\""
        + participants.url("/" + service + "/confirm")
        + "\",\"cancel\":\""
        + participants.url("/" + service + "/cancel")
        + "\",\"payload\":"
        + payload
        + "}";
  }

  String sagaStep(String id, String service, String recovery) {
    return "{\"branchId\":\""
        + id
        + "\",\"action\":\""
        + participants.url("/" + service + "/action")
        + "\",\"compensate\":\""
        + participants.url("/" + service + "/compensate")
        + "\",\"payload\":{\"order\":42},\"recovery\":\""
        + recovery
        + "\"}";
  }

  String open(String mode, String gid) {
    ApiClient.Answer created =
        api.post("/v1/transactions", "{\"mode\":\"" + mode + "\",\"gid\":\"" + gid + "\"}");
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(created.field("status")).isEqualTo("open");
    assertThat(created.field("deadline")).isNotNull();
    return gid;
  }

  @Test
  void tccTransactionCommitsAndConfirmsEveryBranch() {
    String gid = open("tcc", "order-1");
    ApiClient.Answer stock =
        api.post(
            "/v1/transactions/order-1/branches",
            tccBranch("stock", "stock", "{\"sku\":\"A-1\",\"qty\":2}"));
    assertThat(stock.status()).as(stock.text()).isEqualTo(200);
    assertThat(stock.field("status")).isEqualTo("open");
    assertThat(
            api.post(
                    "/v1/transactions/order-1/branches",
                    tccBranch("pay", "account", "{\"cents\":500}"))
                .status())
        .isEqualTo(200);

    ApiClient.Answer committed = api.post("/v1/transactions/" + gid + "/commit", null);

    assertThat(committed.status()).isEqualTo(200);
    assertThat(committed.field("status")).isEqualTo("committed");
    assertThat(participants.callsTo("/stock/try"))
        .containsExactly("/stock/try order-1 stock try {\"sku\":\"A-1\",\"qty\":2}");
    assertThat(participants.callsTo("/stock/confirm")).hasSize(1);
    assertThat(participants.callsTo("/account/confirm")).hasSize(1);
    assertThat(participants.callsTo("/stock/cancel")).isEmpty();
    // idempotent
    assertThat(api.post("/v1/transactions/" + gid + "/submit", null).field("status"))
        .isEqualTo("committed");

    JsonNode shown = api.get("/v1/transactions/order-1").body();
    assertThat(shown.get("mode").asText()).isEqualTo("tcc");
    assertThat(shown.get("status").asText()).isEqualTo("committed");
    assertThat(shown.get("owner").asText()).isEqualTo("test-node");
    JsonNode first = shown.get("branches").get(0);
    assertThat(first.get("branchId").asText()).isEqualTo("stock");
    assertThat(first.get("status").asText()).isEqualTo("confirmed");
    assertThat(first.get("try").asText()).isEqualTo(participants.url("/stock/try"));
    assertThat(first.get("payload").get("sku").asText()).isEqualTo("A-1");
    assertThat(shown.get("timeline").get(0).get("event").asText()).isEqualTo("created");
    assertThat(shown.get("timeline").get(shown.get("timeline").size() - 1).get("event").asText())
        .isEqualTo("committed");

    JsonNode outcome = api.get("/v1/transactions/order-1/outcome").body();
    assertThat(outcome.get("decision").asText()).isEqualTo("commit");
    assertThat(outcome.get("final").asBoolean()).isTrue();
  }

  @Test
  void tccRefusedTryRollsBackAndCancelsEveryBranch() {
    open("tcc", "order-2");
    participants.answer("/account/try", 409);
    assertThat(
            api.post("/v1/transactions/order-2/branches", tccBranch("stock", "stock", "1"))
                .status())
        .isEqualTo(200);

    ApiClient.Answer refused =
        api.post("/v1/transactions/order-2/branches", tccBranch("pay", "account", "2"));

    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.field("error")).isEqualTo("refused");
    assertThat(refused.field("message")).isNotBlank();
    assertThat(refused.field("status")).isIn("rolled_back", "rolling_back");
    await().until(() -> api.get("/v1/transactions/order-2").field("status").equals("rolled_back"));
    assertThat(participants.callsTo("/stock/cancel")).hasSize(1);
    assertThat(participants.callsTo("/stock/confirm")).isEmpty();
    JsonNode outcome = api.get("/v1/transactions/order-2/outcome").body();
    assertThat(outcome.get("decision").asText()).isEqualTo("rollback");
    // registering after the rollback is a conflict that names the status
    ApiClient.Answer late =
        api.post("/v1/transactions/order-2/branches", tccBranch("late", "late", "3"));
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.field("status")).isEqualTo("rolled_back");
  }

  @Test
  void sagaWithBackwardRecoveryCompensatesCompletedSteps() {
    open("saga", "trip-1");
    participants.answer("/hotel/action", 409);
    ApiClient.Answer flight =
        api.post("/v1/transactions/trip-1/branches", sagaStep("flight", "flight", "backward"));
    assertThat(flight.status()).as(flight.text()).isEqualTo(201);
    assertThat(
            api.post("/v1/transactions/trip-1/branches", sagaStep("hotel", "hotel", "backward"))
                .status())
        .isEqualTo(201);
    assertThat(participants.calls()).isEmpty();

    ApiClient.Answer outcome = api.post("/v1/transactions/trip-1/commit", null);

    assertThat(outcome.status()).isEqualTo(200);
    assertThat(outcome.field("status")).isIn("rolled_back", "rolling_back");
    assertThat(outcome.field("reason")).isNotBlank();
    await().until(() -> api.get("/v1/transactions/trip-1").field("status").equals("rolled_back"));
    assertThat(participants.callsTo("/flight/action")).hasSize(1);
    assertThat(participants.callsTo("/flight/compensate")).hasSize(1);
    JsonNode branches = api.get("/v1/transactions/trip-1").body().get("branches");
    assertThat(branches.get(0).get("status").asText()).isEqualTo("compensated");
    assertThat(branches.get(0).get("recovery").asText()).isEqualTo("backward");
  }

  @Test
  void sagaWithForwardRecoveryRetriesUntilTheStepSucceeds() {
    open("saga", "trip-2");
    participants.failFirst("/mail/action", 2);
    api.post("/v1/transactions/trip-2/branches", sagaStep("book", "book", "backward"));
    api.post("/v1/transactions/trip-2/branches", sagaStep("mail", "mail", "forward"));

    ApiClient.Answer outcome = api.post("/v1/transactions/trip-2/commit", null);

    assertThat(outcome.field("status")).isIn("begun", "committed");
    await().until(() -> api.get("/v1/transactions/trip-2").field("status").equals("committed"));
    assertThat(participants.callsTo("/mail/action")).hasSize(3);
    assertThat(participants.callsTo("/book/compensate")).isEmpty();
  }

  @Test
  void aTransactionsBranchesCarryTheirAttemptHistory() {
    open("saga", "trip-h");
    participants.failFirst("/post/action", 2);
    api.post("/v1/transactions/trip-h/branches", sagaStep("book", "book", "backward"));
    api.post("/v1/transactions/trip-h/branches", sagaStep("post", "post", "forward"));
    api.post("/v1/transactions/trip-h/commit", null);
    await().until(() -> api.get("/v1/transactions/trip-h").field("status").equals("committed"));

    JsonNode branches = api.get("/v1/transactions/trip-h").body().get("branches");
    JsonNode book = branches.get(0).get("attemptHistory");
    assertThat(book).hasSize(1);
    assertThat(book.get(0).get("operation").asText()).isEqualTo("action");
    assertThat(book.get(0).get("attempt").asInt()).isEqualTo(1);
    assertThat(book.get(0).get("outcome").asText()).isEqualTo("succeeded");
    assertThat(book.get(0).get("httpStatus").isNull()).isTrue();
    assertThat(book.get(0).get("error").isNull()).isTrue();
    assertThat(Instant.parse(book.get(0).get("at").asText())).isNotNull();
    assertThat(book.get(0).get("tookMs").asDouble()).isNotNegative();

    JsonNode post = branches.get(1).get("attemptHistory");
    assertThat(post).hasSize(3);
    for (int i = 0; i < 2; i++) {
      assertThat(post.get(i).get("attempt").asInt()).isEqualTo(i + 1);
      assertThat(post.get(i).get("outcome").asText()).isEqualTo("failed");
      assertThat(post.get(i).get("httpStatus").asInt()).isEqualTo(500);
      assertThat(post.get(i).get("error").asText()).isNotBlank();
    }
    assertThat(post.get(2).get("attempt").asInt()).isEqualTo(3);
    assertThat(post.get(2).get("outcome").asText()).isEqualTo("succeeded");
  }

  @Test
  void oneShotRunsTheWholeTransactionInOneRequest() {
    ApiClient.Answer tcc =
        api.post(
            "/v1/transactions",
            "{\"mode\":\"tcc\",\"gid\":\"fast-1\",\"parallel\":true,\"submit\":true,\"branches\":["
                + tccBranch("a", "a", "1")
                + ","
                + tccBranch("b", "b", "2")
                + "]}");
    assertThat(tcc.status()).as(tcc.text()).isEqualTo(200);
    assertThat(tcc.field("status")).isEqualTo("committed");
    assertThat(participants.callsTo("/b/confirm")).hasSize(1);

    ApiClient.Answer saga =
        api.post(
            "/v1/transactions",
            "{\"mode\":\"saga\",\"submit\":true,\"timeoutMs\":5000,\"branches\":["
                + sagaStep("x", "x", "backward")
                + "]}");
    assertThat(saga.status()).isEqualTo(200);
    assertThat(saga.field("status")).isEqualTo("committed");
    assertThat(saga.field("gid")).isNotBlank();

    ApiClient.Answer again =
        api.post(
            "/v1/transactions",
            "{\"mode\":\"tcc\",\"gid\":\"fast-1\",\"submit\":true,\"branches\":["
                + tccBranch("a", "a", "1")
                + "]}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.field("status")).isEqualTo("committed");
  }

  @Test
  void aOneShotWithPresumedAbortCommitsAndARepeatAnswersWhereItEnded() {
    String body =
        "{\"mode\":\"tcc\",\"gid\":\"pa-1\",\"presumedAbort\":true,\"submit\":true,"
            + "\"branches\":["
            + tccBranch("a", "a", "1")
            + ","
            + tccBranch("b", "b", "2")
            + "]}";

    ApiClient.Answer tcc = api.post("/v1/transactions", body);
    assertThat(tcc.status()).as(tcc.text()).isEqualTo(200);
    assertThat(tcc.field("status")).isEqualTo("committed");
    assertThat(participants.callsTo("/b/confirm")).hasSize(1);
    assertThat(api.get("/v1/transactions/pa-1").text()).contains("\"confirmed\"");

    // The same request after a lost answer: the gid is found taken before any try is sent again.
    ApiClient.Answer again = api.post("/v1/transactions", body);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.field("status")).isEqualTo("committed");
    assertThat(participants.callsTo("/a/try")).hasSize(1);
  }

  @Test
  void presumedAbortIsRefusedOutsideAOneShotTcc() {
    ApiClient.Answer notOneShot =
        api.post(
            "/v1/transactions",
            "{\"mode\":\"tcc\",\"presumedAbort\":true,\"branches\":["
                + tccBranch("a", "a", "1")
                + "]}");
    assertThat(notOneShot.status()).isEqualTo(400);
    assertThat(notOneShot.field("field")).isEqualTo("presumedAbort");

    ApiClient.Answer saga =
        api.post(
            "/v1/transactions",
            "{\"mode\":\"saga\",\"presumedAbort\":true,\"submit\":true,\"branches\":["
                + sagaStep("x", "x", "backward")
                + "]}");
    assertThat(saga.status()).isEqualTo(400);
    assertThat(saga.field("message")).contains("presumed abort is for one-shot TCC");
    assertThat(participants.callsTo("/x/action")).isEmpty();
  }

  @Test
  void abortRollsAnOpenTransactionBackAndIsIdempotent() {
    open("tcc", "order-3");
    api.post("/v1/transactions/order-3/branches", tccBranch("stock", "stock", "1"));

    ApiClient.Answer aborted = api.post("/v1/transactions/order-3/abort", null);

    assertThat(aborted.status()).isEqualTo(200);
    assertThat(aborted.field("status")).isIn("rolled_back", "rolling_back");
    await().until(() -> api.get("/v1/transactions/order-3").field("status").equals("rolled_back"));
    assertThat(participants.callsTo("/stock/cancel")).hasSize(1);
    assertThat(api.post("/v1/transactions/order-3/abort", null).field("status"))
        .isEqualTo("rolled_back");

    open("tcc", "order-4");
    api.post("/v1/transactions/order-4/commit", null);
    ApiClient.Answer late = api.post("/v1/transactions/order-4/abort", null);
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.field("status")).isEqualTo("committed");
  }

  @Test
  void operatorRetriesAndResolvesFailedTransactions() {
    participants.answer("/broken/confirm", 409); // a confirm must not refuse: the engine gives up
    String oneShot =
        "{\"mode\":\"tcc\",\"gid\":\"%s\",\"submit\":true,\"branches\":["
            + tccBranch("x", "broken", "1")
            + "]}";
    api.post("/v1/transactions", oneShot.formatted("stuck-1"));
    api.post("/v1/transactions", oneShot.formatted("stuck-2"));
    await().until(() -> api.get("/v1/transactions/stuck-2").field("status").equals("failed"));
    // Each FAILED transaction reaches the alert webhook, once.
    await().until(() -> participants.callsTo("/alerts").size() == 2);
    assertThat(participants.callsTo("/alerts"))
        .anySatisfy(
            c -> assertThat(c).contains("\"gid\":\"stuck-1\"", "\"event\":\"transaction_failed\""))
        .anySatisfy(
            c -> assertThat(c).contains("\"gid\":\"stuck-2\"", "\"stuckIn\":\"committing\""));

    JsonNode failed = api.get("/v1/transactions?status=failed&limit=1").body();
    assertThat(failed.get("transactions")).hasSize(1);
    assertThat(failed.get("transactions").get(0).get("gid").asText()).isEqualTo("stuck-1");
    assertThat(failed.get("next").asText()).isEqualTo("stuck-1");
    JsonNode page2 = api.get("/v1/transactions?status=failed&limit=1&after=stuck-1").body();
    assertThat(page2.get("transactions").get(0).get("gid").asText()).isEqualTo("stuck-2");
    assertThat(api.get("/v1/transactions?q=stuck-2&mode=tcc").body().get("transactions"))
        .hasSize(1);

    ApiClient.Answer resolved =
        api.post(
            "/v1/transactions/stuck-1/resolve", "{\"reason\":\"refunded by hand, ticket 123\"}");
    assertThat(resolved.status()).isEqualTo(200);
    assertThat(resolved.field("status")).isEqualTo("resolved");
    assertThat(api.post("/v1/transactions/stuck-1/resolve", "{\"reason\":\"again\"}").status())
        .isEqualTo(409);

    participants.answer("/broken/confirm", 200);
    ApiClient.Answer retried = api.post("/v1/transactions/stuck-2/retry", null);
    assertThat(retried.status()).isEqualTo(200);
    await().until(() -> api.get("/v1/transactions/stuck-2").field("status").equals("committed"));
  }

  @Test
  void healthAndMetricsAnswerWithoutAToken() {
    api.post(
        "/v1/transactions",
        "{\"mode\":\"tcc\",\"submit\":true,\"branches\":[" + tccBranch("a", "a", "1") + "]}");

    ApiClient.Answer health = api.get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body().get("store").get("status").asText()).isEqualTo("up");
    assertThat(health.body().get("store").get("latencyMs").isNumber()).isTrue();

    ApiClient.Answer metrics = api.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.text())
        .contains("cohort_transactions_begun_total{mode=\"tcc\"}")
        .contains("cohort_transactions_committed_total{mode=\"tcc\"}")
        .contains("cohort_branch_calls_seconds_bucket")
        .contains(
            "cohort_http_requests_seconds_count{method=\"POST\",route=\"/v1/transactions\",status=\"200\"}")
        .contains("cohort_transactions_unfinished{status=\"failed\"}")
        .contains("cohort_phase_two_attempts_total");
  }

  @Test
  void postsNeedTheToken() {
    ApiClient.Answer missing = api.post("/v1/transactions", "{\"mode\":\"tcc\"}", null);
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.field("error")).isEqualTo("unauthorized");
    ApiClient.Answer wrong = api.post("/v1/transactions", "{\"mode\":\"tcc\"}", "not-the-token");
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(wrong.field("error")).isEqualTo("forbidden");
    assertThat(api.post("/v1/transactions/x/commit", null, null).status()).isEqualTo(401);
    assertThat(api.get("/v1/transactions").status()).isEqualTo(200);
  }

  @Test
  void createWithBranchesOpensWithThemAndAnEmptySubmitCommitsInOneRequest() {
    ApiClient.Answer opened =
        api.post(
            "/v1/transactions",
            "{\"mode\":\"tcc\",\"gid\":\"lazy-1\",\"branches\":["
                + tccBranch("stock", "stock", "1")
                + ","
                + tccBranch("pay", "account", "2")
                + "]}");
    assertThat(opened.status()).as(opened.text()).isEqualTo(201);
    assertThat(opened.field("status")).isEqualTo("open");
    assertThat(opened.body().get("branches").asInt()).isEqualTo(2);
    assertThat(participants.callsTo("/stock/try")).hasSize(1);
    assertThat(participants.callsTo("/account/try")).hasSize(1);
    assertThat(participants.callsTo("/stock/confirm")).isEmpty();
    assertThat(api.post("/v1/transactions/lazy-1/commit", null).field("status"))
        .isEqualTo("committed");
    assertThat(participants.callsTo("/stock/confirm")).hasSize(1);
    assertThat(participants.callsTo("/account/confirm")).hasSize(1);

    participants.answer("/account/try", 409);
    ApiClient.Answer refused =
        api.post(
            "/v1/transactions",
            "{\"mode\":\"tcc\",\"gid\":\"lazy-2\",\"branches\":["
                + tccBranch("stock", "stock", "1")
                + ","
                + tccBranch("pay", "account", "2")
                + "]}");
    assertThat(refused.status()).as(refused.text()).isEqualTo(409);
    assertThat(refused.field("error")).isEqualTo("refused");
    assertThat(refused.field("gid")).isEqualTo("lazy-2");
    await().until(() -> api.get("/v1/transactions/lazy-2").field("status").equals("rolled_back"));
    assertThat(participants.callsTo("/stock/cancel")).hasSize(1);

    ApiClient.Answer empty =
        api.post("/v1/transactions", "{\"mode\":\"saga\",\"gid\":\"lazy-3\",\"submit\":true}");
    assertThat(empty.status()).as(empty.text()).isEqualTo(200);
    assertThat(empty.field("status")).isEqualTo("committed");
    JsonNode shown = api.get("/v1/transactions/lazy-3").body();
    assertThat(shown.get("status").asText()).isEqualTo("committed");
    assertThat(shown.get("branches")).isEmpty();
    assertThat(
            api.post("/v1/transactions", "{\"mode\":\"saga\",\"gid\":\"lazy-3\",\"submit\":true}")
                .field("status"))
        .as("repeating an empty commit is safe")
        .isEqualTo("committed");
    ApiClient.Answer parallel =
        api.post(
            "/v1/transactions",
            "{\"mode\":\"tcc\",\"parallel\":true,\"branches\":[" + tccBranch("a", "a", "1") + "]}");
    assertThat(parallel.status()).isEqualTo(400);
    assertThat(parallel.field("field")).isEqualTo("parallel");
  }

  @Test
  void badRequestsGetTheDocumentedErrors() {
    ApiClient.Answer mode = api.post("/v1/transactions", "{\"mode\":\"xa\"}");
    assertThat(mode.status()).isEqualTo(400);
    assertThat(mode.field("field")).isEqualTo("mode");
    assertThat(mode.field("message")).contains("tcc, saga").contains("xa");
    assertThat(api.post("/v1/transactions", "{\"mode\":").status()).isEqualTo(400);
    assertThat(
            api.post("/v1/transactions", "{\"mode\":\"tcc\",\"timeoutMs\":\"soon\"}")
                .field("field"))
        .isEqualTo("timeoutMs");
    assertThat(api.post("/v1/transactions", "{\"mode\":\"tcc\",\"branches\":[]}").field("field"))
        .isEqualTo("branches");
    open("tcc", "bad-1");
    ApiClient.Answer url =
        api.post(
            "/v1/transactions/bad-1/branches",
            "{\"branchId\":\"a\",\"try\":\"ftp://x\",\"confirm\":\"http://x/c\",\"cancel\":\"http://x/d\"}");
    assertThat(url.status()).isEqualTo(400);
    assertThat(url.field("field")).isEqualTo("try");
    List<ApiClient.Answer> others = new ArrayList<>();
    others.add(api.get("/v1/transactions/nope"));
    others.add(api.get("/v2/anything"));
    for (ApiClient.Answer a : others) {
      assertThat(a.status()).isEqualTo(404);
      assertThat(a.field("error")).isEqualTo("not_found");
    }
    ApiClient.Answer method = api.get("/v1/transactions/bad-1/commit");
    assertThat(method.status()).isEqualTo(405);
    assertThat(method.field("error")).isEqualTo("method_not_allowed");
    ApiClient.Answer big =
        api.post("/v1/transactions", "{\"mode\":\"" + "x".repeat(1024 * 1024) + "\"}");
    assertThat(big.status()).isEqualTo(413);
    assertThat(big.field("error")).isEqualTo("payload_too_large");
  }

  @Test
  void unknownSubPathsAre404AndChangeNothing() {
    String gid = open("tcc", "route-1");
    String before = api.get("/v1/transactions/" + gid).text();
    for (String path :
        new String[] {
          "/v1/transactions/" + gid + "/comit",
          "/v1/transactions/" + gid + "/commit/extra",
          "/v1/transactions/" + gid + "/abort/x",
          "/v1/transactions/" + gid + "/branches/b1",
          "/v1/transactions/" + gid + "/outcome/commit",
          "/v1/transactions//commit",
          "/v1/transactions/" + gid + "//commit",
        }) {
      ApiClient.Answer answer = api.post(path, "{}");
      assertThat(answer.status()).as(path).isEqualTo(404);
      assertThat(answer.field("error")).as(path).isEqualTo("not_found");
    }
    ApiClient.Answer wrongMethod = api.get("/v1/transactions/" + gid + "/abort");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(api.get("/v1/transactions/" + gid + "/commit/extra").status()).isEqualTo(404);
    assertThat(api.get("/v1/transactions/" + gid).text()).isEqualTo(before);
    assertThat(api.get("/v1/transactions/" + gid).field("status")).isEqualTo("open");
  }

  @Test
  void aRepeatedOpenWithBranchesAfterALostAnswerIsAConflictThatSaysWhereTheTransactionIs() {
    String body =
        "{\"mode\":\"tcc\",\"gid\":\"lost-1\",\"branches\":["
            + tccBranch("b1", "stock", "1")
            + "]}";
    assertThat(api.post("/v1/transactions", body).status()).isEqualTo(201);

    ApiClient.Answer again = api.post("/v1/transactions", body);

    assertThat(again.status()).as(again.text()).isEqualTo(409);
    assertThat(again.field("error")).isEqualTo("conflict");
    assertThat(again.field("gid")).isEqualTo("lost-1");
    assertThat(again.field("status")).isEqualTo("open");
  }

  @Test
  void commitAbortAndSubmitRefuseABodyThatIsNotAnEmptyObject() {
    String gid = open("tcc", "bodies-1");
    for (String op : List.of("commit", "abort", "submit", "retry")) {
      for (String bad : List.of("{", "[1]", "{\"force\":true}", "nope")) {
        ApiClient.Answer answer = api.post("/v1/transactions/" + gid + "/" + op, bad);
        assertThat(answer.status()).as(op + " " + bad + " → " + answer.text()).isEqualTo(400);
        assertThat(answer.field("error")).isEqualTo("bad_request");
      }
    }
    assertThat(api.get("/v1/transactions/" + gid).field("status")).isEqualTo("open");
    assertThat(api.post("/v1/transactions/" + gid + "/commit", "{}").field("status"))
        .isEqualTo("committed");
  }

  @Test
  void aPayloadNestedDeeperThanTheLimitIsRefusedAtInputSoEveryAcceptedOneCanBeShown() {
    String gid = open("tcc", "deep-1");
    int limit = 64; // the server's Body.MAX_DEPTH
    String tooDeep = "[".repeat(limit) + "]".repeat(limit);
    ApiClient.Answer refused =
        api.post("/v1/transactions/" + gid + "/branches", tccBranch("b1", "stock", tooDeep));
    assertThat(refused.status()).as(refused.text()).isEqualTo(400);
    assertThat(refused.field("message")).contains("deeper than " + limit);

    // The deepest payload the limit lets in still comes back in the transaction's view.
    String deepest = "[".repeat(limit - 4) + "]".repeat(limit - 4);
    ApiClient.Answer accepted =
        api.post("/v1/transactions/" + gid + "/branches", tccBranch("b2", "stock", deepest));
    assertThat(accepted.status()).as(accepted.text()).isEqualTo(200);
    ApiClient.Answer shown = api.get("/v1/transactions/" + gid);
    assertThat(shown.status()).as(shown.text()).isEqualTo(200);
  }

  @Test
  void healthSaysHowRecoveryStands() {
    ApiClient.Answer health = api.get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.field("status")).isIn("up", "recovering");
    assertThat(health.body().get("recovery").get("recovering").isBoolean()).isTrue();
    await().until(() -> api.get("/health").field("status").equals("up"));
    assertThat(api.get("/health").body().get("recovery").get("inFlight").asLong()).isZero();
  }
}
