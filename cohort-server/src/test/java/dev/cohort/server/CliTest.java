package dev.cohort.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.server.cli.CohortCli;
import dev.cohort.server.cli.ParticipantWiring;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator commands, run in-process against a started server. */
class CliTest {
  private static final String TOKEN = "cli-token-0123456789abcdef";
  private static final String READER = "cli-reader-token-0123456789";

  @TempDir Path dir;
  Participants participants;
  CohortServer server;
  ApiClient api;
  String url;

  /** What one command line printed and returned. */
  record Run(int code, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    participants = new Participants();
    server =
        CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log.db")))
            .port(0)
            .token(TOKEN)
            .accessToken(AccessToken.reader("cli-reader", READER))
            .httpParticipant(HttpParticipant.builder().unsigned().build())
            .build()
            .start();
    api = new ApiClient(server.port(), TOKEN);
    url = "http://127.0.0.1:" + server.port();
    participants.answer("/bad/confirm", 409);
    for (String gid : List.of("cli-1", "cli-2")) {
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
    }
    await().until(() -> api.get("/v1/transactions/cli-2").field("status").equals("failed"));
  }

  @AfterEach
  void stop() {
    server.close();
    participants.close();
  }

  Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    int code =
        CohortCli.run(
            new PrintWriter(out),
            new PrintWriter(err),
            Map.of(),
            ParticipantWiring.NONE,
            all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void listPrintsAnAlignedTableAndJsonOnRequest() throws Exception {
    Run table = cli("tx", "list", "--url", url, "--status", "failed", "--token", READER);
    assertThat(table.code()).as(table.err()).isZero();
    String[] lines = table.out().split("\n", -1);
    assertThat(lines[0]).startsWith("GID").contains("MODE").contains("STATUS").contains("REASON");
    assertThat(lines[1]).startsWith("cli-1").contains("tcc").contains("failed");
    assertThat(lines[2]).startsWith("cli-2");
    // aligned: the STATUS column starts at the same offset in every row
    assertThat(lines[1].indexOf("failed")).isEqualTo(lines[0].indexOf("STATUS"));

    Run json =
        cli(
            "tx",
            "list",
            "--url",
            url,
            "--json",
            "--mode",
            "tcc",
            "--limit",
            "1",
            "--older-than",
            "0",
            "--token",
            READER);
    assertThat(json.code()).isZero();
    JsonNode body = ApiClient.JSON.readTree(json.out());
    assertThat(body.get("transactions")).hasSize(1);
    assertThat(body.get("next").asText()).isEqualTo("cli-1");
  }

  @Test
  void showPrintsFieldsBranchesAndTimeline() throws Exception {
    Run show = cli("tx", "show", "cli-1", "--url", url, "--token", READER);
    assertThat(show.code()).as(show.err()).isZero();
    assertThat(show.out())
        .contains("status")
        .contains("failed")
        .contains("BRANCH")
        .contains("pay")
        .containsPattern("pay +confirm +" + participants.url("/bad/confirm"))
        .contains("{\"cents\":500}")
        .contains("created");
    Run json = cli("tx", "show", "cli-1", "--url", url, "--json", "--token", READER);
    assertThat(ApiClient.JSON.readTree(json.out()).get("gid").asText()).isEqualTo("cli-1");
  }

  @Test
  void retryAndResolveChangeTheTransaction() {
    Run resolved =
        cli(
            "tx",
            "resolve",
            "cli-1",
            "--reason",
            "refunded by hand",
            "--url",
            url,
            "--token",
            TOKEN);
    assertThat(resolved.code()).as(resolved.err()).isZero();
    assertThat(resolved.out()).contains("cli-1: resolved");

    participants.answer("/bad/confirm", 200);
    Run retried = cli("tx", "retry", "cli-2", "--url", url, "--token", TOKEN);
    assertThat(retried.code()).as(retried.err()).isZero();
    await().until(() -> api.get("/v1/transactions/cli-2").field("status").equals("committed"));
  }

  @Test
  void exitCodesSayWhatWentWrong() throws Exception {
    Run refused =
        cli(
            "tx",
            "resolve",
            "cli-1",
            "--reason",
            "x",
            "--url",
            url,
            "--token",
            "wrong-token-0000000000");
    assertThat(refused.code()).isEqualTo(CohortCli.REFUSED);
    assertThat(refused.err()).contains("token");
    Run unknown = cli("tx", "show", "nope", "--url", url, "--token", READER);
    assertThat(unknown.code()).isEqualTo(CohortCli.REFUSED);
    Run usage = cli("tx", "list", "--limit");
    assertThat(usage.code()).isEqualTo(CohortCli.USAGE);
    assertThat(cli("tx", "retry", "cli-1", "--url", url).code()).isEqualTo(CohortCli.USAGE);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Run unreachable =
        cli("tx", "list", "--url", "http://127.0.0.1:" + closedPort, "--token", READER);
    assertThat(unreachable.code()).isEqualTo(CohortCli.UNAVAILABLE);
    assertThat(unreachable.err()).contains("cannot reach");
  }

  @Test
  void aReaderTokenListsAndShowsButCannotRetryOrResolveAndNoTokenIsAUsageError() {
    Run retry = cli("tx", "retry", "cli-2", "--url", url, "--token", READER);
    assertThat(retry.code()).isEqualTo(CohortCli.REFUSED);
    assertThat(retry.err())
        .contains("token 'cli-reader' has role reader")
        .contains("needs operator")
        .doesNotContain(READER);
    Run noToken = cli("tx", "list", "--url", url);
    assertThat(noToken.code()).isEqualTo(CohortCli.USAGE);
    assertThat(noToken.err()).contains("a reader token is enough");
    assertThat(api.get("/v1/transactions/cli-2").field("status")).isEqualTo("failed");
  }
}
