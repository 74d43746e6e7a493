package dev.cohort.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.coordinator.CommitModes;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.protocol.CallSignature;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 2PC and 3PC through the server's {@code /v1} API, with participants written from docs/protocol.md
 * alone (signed calls, one URL each, answers by status code).
 */
class CommitModesServerTest {
  private static final String TOKEN = "commit-modes-token-0123456789";

  @TempDir Path dir;

  private static CallSignature key() {
    return new CallSignature(
        Map.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)),
        "k1",
        CallSignature.DEFAULT_MAX_SKEW,
        Clock.systemUTC());
  }

  private CohortServer server() {
    return CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log.db")))
        .port(0)
        .token(TOKEN)
        .httpParticipant(HttpParticipant.builder().signer(key()).build())
        .mode(CommitModes.twoPhase())
        .mode(CommitModes.threePhase())
        .build()
        .start();
  }

  @Test
  void anXaTransactionPreparesBothBranchesThenCommitsThem() throws Exception {
    try (Participants p = new Participants(key());
        CohortServer server = server()) {
      ApiClient api = new ApiClient(server.port(), TOKEN);

      ApiClient.Answer done = api.post("/v1/transactions", xa("xa-1", p));

      assertThat(done.field("status")).isEqualTo("committed");
      assertThat(p.calls())
          .extracting(CommitModesServerTest::pathAndOp)
          .containsExactly("/a/prepare prepare", "/b/prepare prepare", "/a commit", "/b commit");
      assertThat(api.get("/v1/transactions/xa-1").text())
          .contains("\"prepare\":\"" + p.url("/a/prepare"));
    }
  }

  @Test
  void aNoVoteOverHttpRollsBothBack() throws Exception {
    try (Participants p = new Participants(key());
        CohortServer server = server()) {
      p.answer("/b/prepare", 409); // a no vote; b's rollback URL answers 200
      ApiClient api = new ApiClient(server.port(), TOKEN);

      ApiClient.Answer done = api.post("/v1/transactions", xa("xa-2", p));

      assertThat(done.field("status")).isEqualTo("rolled_back");
      assertThat(p.calls())
          .extracting(CommitModesServerTest::pathAndOp)
          .containsExactly(
              "/a/prepare prepare", "/b/prepare prepare", "/a rollback", "/b rollback");
    }
  }

  @Test
  void aThreePcTransactionRunsItsThreeRounds() throws Exception {
    try (Participants p = new Participants(key());
        CohortServer server = server()) {
      ApiClient api = new ApiClient(server.port(), TOKEN);

      ApiClient.Answer done =
          api.post(
              "/v1/transactions",
              "{\"mode\":\"3pc\",\"gid\":\"3pc-1\",\"submit\":true,\"branches\":["
                  + threePcBranch("a", p)
                  + ","
                  + threePcBranch("b", p)
                  + "]}");

      assertThat(done.field("status")).isEqualTo("committed");
      assertThat(p.calls())
          .extracting(CommitModesServerTest::pathAndOp)
          .containsExactly(
              "/a can-commit",
              "/b can-commit",
              "/a pre-commit",
              "/b pre-commit",
              "/a do-commit",
              "/b do-commit");
    }
  }

  /** "path op" of a recorded call ("path gid branch op body"). */
  private static String pathAndOp(String call) {
    String[] fields = call.split(" ", -1);
    return fields[0] + " " + fields[3];
  }

  private static String xa(String gid, Participants p) {
    return "{\"mode\":\"xa\",\"gid\":\""
        + gid
        + "\",\"submit\":true,\"branches\":["
        + xaBranch("a", p)
        + ","
        + xaBranch("b", p)
        + "]}";
  }

  private static String xaBranch(String id, Participants p) {
    String url = p.url("/" + id);
    return "{\"branchId\":\""
        + id
        + "\",\"prepare\":\""
        + p.url("/" + id + "/prepare")
        + "\",\"commit\":\""
        + url
        + "\",\"rollback\":\""
        + url
        + "\",\"payload\":{\"cents\":1}}";
  }

  private static String threePcBranch(String id, Participants p) {
    String url = p.url("/" + id);
    return "{\"branchId\":\""
        + id
        + "\",\"can-commit\":\""
        + url
        + "\",\"pre-commit\":\""
        + url
        + "\",\"do-commit\":\""
        + url
        + "\",\"abort\":\""
        + url
        + "\",\"payload\":{\"cents\":1}}";
  }
}
