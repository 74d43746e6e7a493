package dev.cohort.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.protocol.CallSignature;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server signs participant calls; participants holding the key accept them, others refuse. */
class SignedCallsTest {
  private static final String TOKEN = "signed-token-0123456789abcdef";

  @TempDir Path dir;

  static CallSignature key(String id, String secret) {
    return new CallSignature(
        Map.of(id, secret.getBytes(StandardCharsets.US_ASCII)),
        id,
        CallSignature.DEFAULT_MAX_SKEW,
        Clock.systemUTC());
  }

  @Test
  void participantsHoldingTheKeyAcceptTheCallsAndOthersRefuseThem() throws Exception {
    CallSignature coordinatorKey = key("2026-11", "0123456789abcdef0123456789abcdef");
    try (Participants trusting =
            new Participants(key("2026-11", "0123456789abcdef0123456789abcdef"));
        Participants strangers =
            new Participants(key("other", "ffffffffffffffffffffffffffffffff"));
        CohortServer server =
            CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log.db")))
                .port(0)
                .token(TOKEN)
                .httpParticipant(HttpParticipant.builder().signer(coordinatorKey).build())
                .build()
                .start()) {
      ApiClient api = new ApiClient(server.port(), TOKEN);

      assertThat(api.post("/v1/transactions", oneShot("s-1", trusting)).field("status"))
          .isEqualTo("committed");
      assertThat(trusting.callsTo("/p/confirm")).hasSize(1);

      ApiClient.Answer refused = api.post("/v1/transactions", oneShot("s-2", strangers));
      assertThat(refused.field("status")).isIn("rolled_back", "rolling_back");
      assertThat(refused.field("reason")).contains("403");
      assertThat(strangers.callsTo("/p/confirm")).isEmpty();
    }
  }

  private static String oneShot(String gid, Participants p) {
    return "{\"mode\":\"tcc\",\"gid\":\""
        + gid
        + "\",\"submit\":true,\"branches\":[{\"try\":\""
        + p.url("/p/try")
        + "\",\"confirm\":\""
        + p.url("/p/confirm")
        + "\",\"cancel\":\""
        + p.url("/p/cancel")
        + "\",\"payload\":{\"cents\":1}}]}";
  }
}
