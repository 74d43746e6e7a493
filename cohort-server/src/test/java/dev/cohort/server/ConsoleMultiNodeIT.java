package dev.cohort.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.jdbc.Database;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two servers on one PostgreSQL log, as behind a load balancer without sticky sessions: a console
 * session opened on one node is good on the other, and logging out on either ends it on both.
 */
class ConsoleMultiNodeIT {
  private static final String TOKEN = "console-nodes-token-0123456789";

  @Test
  void aSessionOpenedOnOneNodeActsOnTheOtherAndEndsOnBothAtLogOut() throws Exception {
    try (TestServices services = TestServices.load();
        Participants participants = new Participants()) {
      DatabasePair db = services.postgres().isolated("cohort_console_nodes");
      try (CohortServer a = node(db, "node-a");
          CohortServer b = node(db, "node-b")) {
        participants.answer("/bad/confirm", 409);
        ApiClient api = new ApiClient(a.port(), TOKEN);
        api.post(
            "/v1/transactions",
            "{\"mode\":\"tcc\",\"gid\":\"nodes-1\",\"submit\":true,\"branches\":[{\"branchId\":"
                + "\"pay\",\"try\":\""
                + participants.url("/bad/try")
                + "\",\"confirm\":\""
                + participants.url("/bad/confirm")
                + "\",\"cancel\":\""
                + participants.url("/bad/cancel")
                + "\"}]}");
        await().until(() -> api.get("/v1/transactions/nodes-1").field("status").equals("failed"));

        ConsoleClient onA = new ConsoleClient(a.port());
        assertThat(onA.login(TOKEN).statusCode()).isEqualTo(303);
        String csrf = onA.csrf();
        ConsoleClient onB = new ConsoleClient(b.port());
        onB.cookie = onA.cookie; // the balancer sends the same browser to the other node

        HttpResponse<String> page = onB.get("/console/transactions/nodes-1");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("nodes-1").contains("Mark resolved");
        assertThat(onB.csrf()).as("the same session, so the same CSRF token").isEqualTo(csrf);

        HttpResponse<String> resolved =
            onB.post(
                "/console/transactions/nodes-1/resolve",
                Map.of("reason", "settled on node b", "csrf", csrf),
                onB.origin());
        assertThat(resolved.statusCode()).isEqualTo(303);
        assertThat(a.coordinator().find(Gid.of("nodes-1")).status())
            .isEqualTo(GlobalStatus.RESOLVED);
        assertThat(onA.get("/console/transactions/nodes-1").body()).contains("settled on node b");

        HttpResponse<String> logout =
            onB.post("/console/logout", Map.of("csrf", csrf), onB.origin());
        assertThat(logout.statusCode()).isEqualTo(303);

        HttpResponse<String> afterOnA = onA.get("/console/overview");
        assertThat(afterOnA.statusCode()).isEqualTo(303);
        assertThat(afterOnA.headers().firstValue("Location")).hasValue("/console/login");
        assertThat(
                onA.post("/console/transactions/nodes-1/retry", Map.of("csrf", csrf), onA.origin())
                    .statusCode())
            .isEqualTo(401);
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
