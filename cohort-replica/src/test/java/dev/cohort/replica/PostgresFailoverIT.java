package dev.cohort.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A replica promoted after the primary crashed: Cohort notices and follows it. */
class PostgresFailoverIT {
  @AfterEach
  void reset() {
    Consistency.reset();
  }

  @Test
  void promotedReplicaTakesTheWritesAndReadsStayFresh() throws Exception {
    try (ScratchPostgresPair pair = ScratchPostgresPair.start();
        RoutingDataSource routing =
            RoutingDataSource.builder()
                .primary("a", pair.pool("a", true))
                .replica("b", pair.pool("b", false))
                .options(
                    ReplicaOptions.builder()
                        .sourceId("failover")
                        .pollInterval(Duration.ofMillis(50))
                        .backoff(Duration.ofMillis(100), Duration.ofMillis(500))
                        .build())
                .build()) {
      Shop shop = new Shop(Routing.cohort(routing));
      shop.update("CREATE TABLE profile (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL)");
      shop.update("INSERT INTO profile VALUES (1, 'before')");
      assertThat(shop.profileName(1)).isEqualTo("before");
      ConsistencyToken beforeCrash = Consistency.token();
      assertThat(routing.sync().await(beforeCrash, Duration.ofSeconds(20)).get().satisfied())
          .isTrue();

      pair.crashPrimary();
      pair.promoteReplica();

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(routing.primaryName()).isEqualTo("b"));
      List<ReplicaStatus> status = routing.status();
      assertThat(status)
          .filteredOn(s -> s.name().equals("a"))
          .singleElement()
          .satisfies(a -> assertThat(a.up()).isFalse());

      shop.updateProfile(1, "after");
      assertThat(shop.profileName(1)).isEqualTo("after");
      assertThat(routing.meterRegistry().find("cohort.replica.failovers").counter().count())
          .isEqualTo(1.0);
    }
  }
}
