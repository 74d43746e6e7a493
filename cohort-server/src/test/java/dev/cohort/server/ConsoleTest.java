package dev.cohort.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.coordinator.spi.AuditRecord;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console over HTTP on a real server and SQLite log: login, the session cookie, CSRF and origin
 * checks on every action, audit records, and search input that never causes a 5xx.
 */
class ConsoleTest {
  private static final String TOKEN = "console-token-0123456789";

  @TempDir Path dir;
  Participants participants;
  JdbcTransactionStore store;
  CohortServer server;
  ApiClient api;
  ConsoleClient console;

  @BeforeEach
  void start() throws Exception {
    participants = new Participants();
    store = JdbcTransactionStore.sqlite(dir.resolve("log.db"));
    server =
        CohortServer.builder(store)
            .port(0)
            .token(TOKEN)
            .httpParticipant(HttpParticipant.builder().unsigned().build())
            .build()
            .start();
    api = new ApiClient(server.port(), TOKEN);
    console = new ConsoleClient(server.port());
    participants.answer("/bad/confirm", 409);
    failTcc("c-1");
    failTcc("c-2");
  }

  @AfterEach
  void stop() {
    server.close();
    participants.close();
  }

  /** A TCC transaction whose confirm is refused: the engine gives up at once (FAILED). */
  void failTcc(String gid) {
    api.post(
        "/v1/transactions",
        "{\"mode\":\"tcc\",\"gid\":\""
            + gid
            + "\",\"submit\":true,\"branches\":[{\"branchId\":\"pay\",\"try\":\""
            + participants.url("/bad/try")
            + "\",\"confirm\":\""
            + participants.url("/bad/confirm")
            + "\",\"cancel\":\""
            + participants.url("/bad/cancel")
            + "\",\"payload\":{\"cents\":500}}]}");
    await().until(() -> api.get("/v1/transactions/" + gid).field("status").equals("failed"));
  }

  GlobalStatus status(String gid) {
    return server.coordinator().find(Gid.of(gid)).status();
  }

  @Test
  void withoutASessionEveryPageSendsToTheLoginAndEveryActionIsRefused() {
    for (String path :
        List.of(
            "/console",
            "/console/overview",
            "/console/transactions",
            "/console/transactions/c-1")) {
      HttpResponse<String> r = console.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(303);
      assertThat(r.headers().firstValue("Location")).as(path).isPresent();
    }
    assertThat(console.get("/console/transactions/c-1").headers().firstValue("Location"))
        .hasValue("/console/login");
    assertThat(console.get("/console/counts").statusCode()).isEqualTo(401);

    HttpResponse<String> action =
        console.post("/console/transactions/c-1/resolve", Map.of("reason", "x"), null);
    assertThat(action.statusCode()).isEqualTo(401);
    assertThat(status("c-1")).isEqualTo(GlobalStatus.FAILED);
    assertThat(store.audit(Gid.of("c-1"), 10)).isEmpty();

    console.cookie = "cohort_console=" + "ab".repeat(32); // a guessed session
    assertThat(console.get("/console/overview").statusCode()).isEqualTo(303);
  }

  @Test
  void aWrongTokenIsRefusedAndTheRightOneOpensAnHttpOnlySameSiteSession() {
    HttpResponse<String> wrong = console.login("not-the-token-at-all");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("not one of this server&#39;s tokens");
    assertThat(console.cookie).isNull();

    HttpResponse<String> right = console.login(TOKEN);
    assertThat(right.statusCode()).isEqualTo(303);
    assertThat(right.headers().firstValue("Set-Cookie").orElseThrow())
        .contains("HttpOnly")
        .contains("SameSite=Strict")
        .contains("Path=/console");
    HttpResponse<String> page = console.get("/console/overview");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("frame-ancestors 'none'");
    assertThat(console.get("/console/counts").body()).contains("\"failed\":2");
  }

  @Test
  void anActionWithoutTheSessionsCsrfTokenOrFromAnotherOriginIsRefused() {
    console.login(TOKEN);
    String csrf = console.csrf();

    assertThat(
            console
                .post("/console/transactions/c-1/resolve", Map.of("reason", "by hand"), null)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            console
                .post(
                    "/console/transactions/c-1/resolve",
                    Map.of("reason", "by hand", "csrf", "00".repeat(32)),
                    console.origin())
                .statusCode())
        .isEqualTo(403);
    assertThat(
            console
                .post(
                    "/console/transactions/c-1/resolve",
                    Map.of("reason", "by hand", "csrf", csrf),
                    "http://evil.example")
                .statusCode())
        .isEqualTo(403);
    assertThat(status("c-1")).isEqualTo(GlobalStatus.FAILED);
    assertThat(store.audit(Gid.of("c-1"), 10)).isEmpty();

    assertThat(
            console
                .post(
                    "/console/transactions/c-1/resolve",
                    Map.of("reason", "refunded by hand", "csrf", csrf),
                    console.origin())
                .statusCode())
        .isEqualTo(303);
    assertThat(status("c-1")).isEqualTo(GlobalStatus.RESOLVED);
  }

  @Test
  void everyActionIsAuditedWithWhoWhatAndResultAlsoWhenTheEngineRefusesIt() {
    console.login(TOKEN);
    String csrf = console.csrf();

    HttpResponse<String> noReason =
        console.post(
            "/console/transactions/c-1/resolve", Map.of("reason", "  ", "csrf", csrf), null);
    assertThat(noReason.statusCode()).isEqualTo(400);
    assertThat(noReason.body()).contains("A reason is required");
    assertThat(status("c-1")).isEqualTo(GlobalStatus.FAILED);

    console.post(
        "/console/transactions/c-1/resolve",
        Map.of("reason", "<script>alert(1)</script> refunded", "csrf", csrf),
        null);
    console.post("/console/transactions/c-1/retry", Map.of("csrf", csrf), null);

    List<AuditRecord> audit = store.audit(Gid.of("c-1"), 10);
    assertThat(audit).hasSize(2);
    assertThat(audit.get(0).action()).isEqualTo("resolve");
    assertThat(audit.get(0).detail()).isEqualTo("<script>alert(1)</script> refunded");
    assertThat(audit.get(0).result()).isEqualTo("resolved");
    assertThat(audit.get(0).actor()).startsWith("console session ").endsWith("from 127.0.0.1");
    assertThat(audit.get(1).action()).isEqualTo("retry");
    assertThat(audit.get(1).result()).startsWith("refused: ");

    String page = console.get("/console/transactions/c-1").body();
    assertThat(page).contains("Retry now was refused");
    assertThat(page).doesNotContain("<script>alert(1)</script>");
    assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt; refunded");
    assertThat(store.recentAudit(1).get(0).action()).isEqualTo("retry");
  }

  @Test
  void retryAfterTheParticipantRecoveredCommits() {
    console.login(TOKEN);
    participants.answer("/bad/confirm", 200);
    console.post("/console/transactions/c-2/retry", Map.of("csrf", console.csrf()), null);
    await().until(() -> status("c-2") == GlobalStatus.COMMITTED);
    assertThat(store.audit(Gid.of("c-2"), 10).get(0).result()).isEqualTo("committed");
  }

  @Test
  void badSearchInputGivesAMessageNamingTheFieldNeverA5xx() {
    console.login(TOKEN);
    Map<String, String> cases =
        Map.of(
            "/console/transactions?status=stuck",
            "status &#39;stuck&#39; is not a status",
            "/console/transactions?olderThan=ten",
            "&#39;older than&#39; must be a whole number",
            "/console/transactions?mode=xa2",
            "mode &#39;xa2&#39; is not a mode",
            "/console/transactions?after=a%20b",
            "&#39;after&#39; is not a gid",
            "/console/transactions?text=" + "x".repeat(201),
            "at most 200 are searched",
            "/console/transactions?bogus=1",
            "unknown search field &#39;bogus&#39;",
            "/console/transactions?olderThan=1m&newerThan=30s",
            "no transaction can be both");
    cases.forEach((path, message) -> {
      HttpResponse<String> r = console.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(400);
      assertThat(r.body()).as(path).contains(message);
    });

    Random random = new Random(15);
    String alphabet = "abc%25_!<>\"'&;=/\\ 09:-.\u00e9\u4e2d";
    for (int i = 0; i < 150; i++) {
      StringBuilder value = new StringBuilder();
      for (int n = random.nextInt(12); n > 0; n--) {
        value.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String field =
          List.of(
                  "status",
                  "mode",
                  "olderThan",
                  "newerThan",
                  "text",
                  "participant",
                  "error",
                  "after")
              .get(random.nextInt(8));
      String path =
          "/console/transactions?"
              + field
              + "="
              + java.net.URLEncoder.encode(
                  value.toString(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(console.get(path).statusCode()).as(path).isLessThan(500);
    }
  }

  @Test
  void searchFindsByStatusParticipantAndErrorText() {
    console.login(TOKEN);
    assertThat(console.get("/console/transactions?status=failed").body())
        .contains("data-gid=\"c-1\"")
        .contains("data-gid=\"c-2\"");
    HttpResponse<String> exact = console.get("/console/transactions?text=c-1");
    assertThat(exact.statusCode()).isEqualTo(303);
    assertThat(exact.headers().firstValue("Location")).hasValue("/console/transactions/c-1");
    assertThat(console.get("/console/transactions?text=c-").body())
        .contains("data-gid=\"c-1\"")
        .contains("data-gid=\"c-2\"");
    assertThat(console.get("/console/transactions?status=committed").body())
        .contains("No transaction matches");
    assertThat(console.get("/console/transactions?participant=bad/confirm").body())
        .contains("data-gid=\"c-1\"");
    assertThat(console.get("/console/transactions?participant=nowhere.example").body())
        .doesNotContain("data-gid=");
    assertThat(console.get("/console/transactions?error=409").body()).contains("data-gid=\"c-2\"");
    assertThat(console.get("/console/overview").body())
        .contains("retry backlog")
        .contains("/bad/try");
  }
}
