package dev.cohort.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import dev.cohort.api.GlobalStatus;
import dev.cohort.client.Cohort;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.Operation;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestHttpServer;
import dev.cohort.testsupport.TestServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A Spring Boot service with a TCC participant bean, an embedded coordinator (SQLite log) and an
 * alert webhook, on a real PostgreSQL database. Participant calls are signed like the
 * coordinator's.
 */
class ParticipantAndAlertIT {
  private static final String KEY = "k1";
  private static final String SECRET = "a-secret-of-at-least-thirty-two-bytes!";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static TestServices services;
  private static DatabasePair db;
  private static TestHttpServer webhook;
  private static final BlockingQueue<String> alerts = new LinkedBlockingQueue<>();
  private static ConfigurableApplicationContext app;
  private static JdbcTemplate jdbc;
  private static CallSignature signer;

  @BeforeAll
  static void start() throws IOException {
    services = TestServices.load();
    db = services.postgres().isolated("starter_tcc");
    jdbc = new JdbcTemplate(db.primary());
    jdbc.execute(
        "CREATE TABLE account (id TEXT PRIMARY KEY, balance BIGINT NOT NULL, frozen BIGINT NOT"
            + " NULL)");
    jdbc.execute(
        "CREATE TABLE held_payment (gid TEXT NOT NULL, branch_id TEXT NOT NULL, payload TEXT NOT"
            + " NULL, held_since TIMESTAMPTZ NOT NULL, PRIMARY KEY (gid, branch_id))");
    webhook = new TestHttpServer().route("/alerts", ParticipantAndAlertIT::receive);
    Path log = Files.createTempDirectory("cohort-starter").resolve("log.db");
    Map<String, Object> p = new HashMap<>();
    p.put("spring.datasource.url", db.primaryUrl());
    p.put("spring.datasource.username", db.user());
    p.put("spring.datasource.password", db.password());
    p.put("cohort.embedded.store-url", "jdbc:sqlite:" + log);
    p.put("cohort.participant.signing-keys." + KEY, SECRET);
    p.put("cohort.alert.webhook-url", webhook.url("/alerts").toString());
    p.put("management.endpoint.health.show-details", "always");
    p.put("cohort.participant.resolver.hold-threshold", "1s");
    p.put("cohort.participant.resolver.period", "200ms");
    app = Apps.start(ShopAccount.class, p);
    signer =
        new CallSignature(
            Map.of(KEY, SECRET.getBytes(StandardCharsets.UTF_8)),
            KEY,
            CallSignature.DEFAULT_MAX_SKEW,
            Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (webhook != null) {
      webhook.close();
    }
    if (db != null) {
      db.close();
    }
    if (services != null) {
      services.close();
    }
  }

  private static void receive(HttpExchange exchange) throws IOException {
    alerts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    exchange.sendResponseHeaders(204, -1);
    exchange.close();
  }

  @Test
  void tryConfirmCancelGoThroughTheBarrierInTheSpringTransaction() throws Exception {
    jdbc.update("INSERT INTO account VALUES ('alice', 100, 0)");
    String body = "{\"account\":\"alice\",\"cents\":30}";

    assertThat(call("g-1", Operation.TRY, body).body()).contains("applied");
    assertThat(account("alice")).isEqualTo("100/30");
    assertThat(call("g-1", Operation.CONFIRM, body).body()).contains("\"applied\"");
    assertThat(account("alice")).isEqualTo("70/0");

    HttpResponse<String> again = call("g-1", Operation.CONFIRM, body);

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).contains("duplicate_skipped");
    assertThat(account("alice")).isEqualTo("70/0");
    assertThat(barrierRows("g-1")).isEqualTo(2);
  }

  @Test
  void aCancelBeforeItsTryIsAnEmptyRollbackAndTheLateTryIsRefused() throws Exception {
    jdbc.update("INSERT INTO account VALUES ('bob', 100, 0)");
    String body = "{\"account\":\"bob\",\"cents\":40}";

    HttpResponse<String> cancel = call("g-2", Operation.CANCEL, body);
    HttpResponse<String> lateTry = call("g-2", Operation.TRY, body);

    assertThat(cancel.body()).contains("empty_rollback");
    assertThat(lateTry.statusCode()).isEqualTo(409);
    assertThat(account("bob")).isEqualTo("100/0");
  }

  @Test
  void aFailingHandlerRollsBackItsChangeAndTheBarrierRowTogether() throws Exception {
    jdbc.update("INSERT INTO account VALUES ('carol', 100, 0)");

    HttpResponse<String> failed =
        call("g-3", Operation.TRY, "{\"account\":\"carol\",\"cents\":13}");

    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(account("carol")).isEqualTo("100/0");
    assertThat(barrierRows("g-3")).isZero();
  }

  @Test
  void anUnsignedCallIsRefused() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(participant("account"))
            .header(CallSignature.GID_HEADER, "g-4")
            .header(CallSignature.BRANCH_HEADER, "pay")
            .header(CallSignature.OP_HEADER, "try")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();

    assertThat(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(401);
  }

  @Test
  void aGlobalTransactionMethodCommitsThroughTheEmbeddedCoordinator() {
    jdbc.update("INSERT INTO account VALUES ('dave', 100, 0)");

    String gid =
        app.getBean(ShopAccount.Purchases.class)
            .buy(participant("account"), "{\"account\":\"dave\",\"cents\":25}");

    assertThat(app.getBean(Cohort.class).outcome(dev.cohort.api.Gid.of(gid)).status())
        .isEqualTo(GlobalStatus.COMMITTED);
    assertThat(account("dave")).isEqualTo("75/0");
  }

  @Test
  @SuppressWarnings("try") // the binding is opened for its effect on this thread
  void aGlobalTransactionMethodBegunUnderAChosenGidKeepsIt() {
    jdbc.update("INSERT INTO account VALUES ('erin', 100, 0)");
    GlobalTransactions transactions = app.getBean(GlobalTransactions.class);
    dev.cohort.api.Gid chosen = dev.cohort.api.Gid.of("chosen-by-the-caller-1");

    String gid;
    try (GlobalTransactions.Binding b = transactions.beginAs(chosen)) {
      gid =
          app.getBean(ShopAccount.Purchases.class)
              .buy(participant("account"), "{\"account\":\"erin\",\"cents\":25}");
    }

    assertThat(gid).isEqualTo(chosen.value());
    assertThat(app.getBean(Cohort.class).outcome(chosen).status())
        .isEqualTo(GlobalStatus.COMMITTED);
    assertThat(transactions.takeChosenGid()).as("taken once, by the begin").isEmpty();
    assertThat(account("erin")).isEqualTo("75/0");
  }

  @Test
  void aFailedTransactionReachesTheWebhook() throws Exception {
    String gid =
        app.getBean(ShopAccount.Purchases.class)
            .buy(participant("broken"), "{\"account\":\"nobody\",\"cents\":1}");

    String alert = alerts.poll(30, TimeUnit.SECONDS);

    assertThat(alert)
        .isNotNull()
        .contains("\"gid\":\"" + gid + "\"")
        .contains("transaction_failed");
    assertThat(app.getBean(Cohort.class).outcome(dev.cohort.api.Gid.of(gid)).status())
        .isEqualTo(GlobalStatus.FAILED);
  }

  /**
   * The coordinator decides commit but its confirm cannot reach the service (sent where nothing
   * listens); the starter's resolver, asking the embedded coordinator about the payment held past
   * the threshold, debits it through the endpoint's own confirm handler and the barrier.
   */
  @Test
  void aHeldPaymentWhoseConfirmNeverArrivesIsSettledByTheResolver() {
    jdbc.update("INSERT INTO account VALUES ('fay', 100, 0)");
    URI nobodyListens = URI.create("http://127.0.0.1:9/cohort/participants/account");

    String gid =
        app.getBean(ShopAccount.Purchases.class)
            .buyConfirmingAt(
                participant("account"), nobodyListens, "{\"account\":\"fay\",\"cents\":30}");

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> account("fay").equals("70/0"));
    assertThat(
            jdbc.queryForObject("SELECT count(*) FROM held_payment WHERE gid = ?", Long.class, gid))
        .isZero();
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM cohort_barrier WHERE gid = ? AND op = 'confirm'",
                Long.class,
                gid))
        .as("the confirm went through the barrier")
        .isOne();
    assertThat(app.getBean(Cohort.class).outcome(dev.cohort.api.Gid.of(gid)).status())
        .as("the coordinator itself never reached the service")
        .isEqualTo(GlobalStatus.COMMITTING);
  }

  /** Boot 4 through the starter, Boot 3.5 through cohort-spring-boot3-actuator: the same answer. */
  @Test
  void actuatorHealthShowsTheEmbeddedCoordinator() throws Exception {
    HttpResponse<String> health =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(Apps.url(app, "/actuator/health/cohort")))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(health.statusCode()).isEqualTo(200);
    // Field order differs between Boot versions (and their Jackson majors): check the parts.
    assertThat(health.body())
        .contains("\"coordinator\":{")
        .contains("\"mode\":\"embedded\"")
        .contains("\"failedTransactions\":")
        .contains("\"status\":\"UP\"")
        .doesNotContain("DOWN");
  }

  private static URI participant(String name) {
    return URI.create(Apps.url(app, "/cohort/participants/" + name));
  }

  private static HttpResponse<String> call(String gid, Operation op, String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder r =
        HttpRequest.newBuilder(participant("account"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    signer.sign(gid, "pay", op.code(), bytes).forEach(r::header);
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String account(String id) {
    return jdbc.queryForObject(
        "SELECT balance || '/' || frozen FROM account WHERE id = ?", String.class, id);
  }

  private static int barrierRows(String gid) throws SQLException {
    Integer n =
        jdbc.queryForObject(
            "SELECT count(*) FROM cohort_barrier WHERE gid = ?", Integer.class, gid);
    return n == null ? 0 : n;
  }
}
