package dev.cohort.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.jdbc.Database;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import org.junit.jupiter.api.Test;

/** Two servers on one PostgreSQL log: any node can take any request of a transaction. */
class MultiNodeIT {
  private static final String TOKEN = "multi-node-token-0123456789";

  @Test
  void aTransactionOpenedOnOneNodeIsFinishedOnTheOther() throws Exception {
    try (TestServices services = TestServices.load();
        Participants participants = new Participants()) {
      DatabasePair db = services.postgres().isolated("cohort_server_nodes");
      try (CohortServer a = node(db, "node-a");
          CohortServer b = node(db, "node-b")) {
        ApiClient onA = new ApiClient(a.port(), TOKEN);
        ApiClient onB = new ApiClient(b.port(), TOKEN);
        assertThat(onA.post("/v1/transactions", "{\"mode\":\"tcc\",\"gid\":\"shared-1\"}").status())
            .isEqualTo(201);
        String branch =
            "{\"branchId\":\"s\",\"try\":\""
                + participants.url("/s/try")
                + "\",\"confirm\":\""
                + participants.url("/s/confirm")
                + "\",\"cancel\":\""
                + participants.url("/s/cancel")
                + "\"}";
        assertThat(onB.post("/v1/transactions/shared-1/branches", branch).status()).isEqualTo(200);

        ApiClient.Answer committed = onA.post("/v1/transactions/shared-1/commit", null);

        assertThat(committed.field("status")).isEqualTo("committed");
        assertThat(onB.get("/v1/transactions/shared-1").field("status")).isEqualTo("committed");
        assertThat(participants.callsTo("/s/confirm")).hasSize(1);
      }
    }
  }

  private static CohortServer node(DatabasePair db, String nodeId) {
    return CohortServer.builder(
            JdbcTransactionStore.builder(db.primary(), Database.POSTGRESQL).build())
        .port(0)
        .token(TOKEN)
        .options(CoordinatorOptions.newBuilder().nodeId(nodeId).build())
        .httpParticipant(HttpParticipant.builder().unsigned().build())
        .build()
        .start();
  }
}
