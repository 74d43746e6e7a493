package dev.cohort.replica.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.replica.Balancing;
import dev.cohort.replica.ConsistencyPolicy;
import dev.cohort.replica.ConsistencyToken;
import dev.cohort.replica.Position;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routing decisions on nodes whose probe answers are handed in; no database, no sleeping. */
class ClusterRoutingTest {
  private HealthFixture f;
  private Node primary;
  private Node r1;
  private Node r2;

  private Cluster cluster(Balancing balancing) {
    f = new HealthFixture(balancing, (node, from, to) -> {}).started();
    primary = f.primary;
    r1 = f.r1;
    r2 = f.r2;
    return f.cluster;
  }

  private Map<String, Integer> spread(Cluster c, ConsistencyPolicy policy, int reads) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < reads; i++) {
      counts.merge(c.route(policy, ConsistencyToken.EMPTY).node().name(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void roundRobinAlternates() {
    assertThat(spread(cluster(Balancing.ROUND_ROBIN), ConsistencyPolicy.EVENTUAL, 10))
        .containsEntry("r1", 5)
        .containsEntry("r2", 5);
  }

  @Test
  void weightedFollowsTheWeights() {
    assertThat(spread(cluster(Balancing.WEIGHTED), ConsistencyPolicy.EVENTUAL, 40))
        .containsEntry("r1", 30)
        .containsEntry("r2", 10);
  }

  @Test
  void leastLagPrefersTheFreshestReplica() {
    Cluster c = cluster(Balancing.LEAST_LAG);
    r1.lagTime = Duration.ofMillis(300);
    r2.lagTime = Duration.ofMillis(20);
    assertThat(spread(c, ConsistencyPolicy.EVENTUAL, 6)).containsOnlyKeys("r2");
  }

  @Test
  void readYourWritesPicksOnlyReplicasThatAppliedTheToken() {
    Cluster c = cluster(Balancing.ROUND_ROBIN);
    f.readOnly(r2, "0/200");
    ConsistencyToken token = ConsistencyToken.parse("c1;orders:pg:0/180;users:mdb:0-1-5");
    for (int i = 0; i < 4; i++) {
      Cluster.Route route = c.route(ConsistencyPolicy.READ_YOUR_WRITES, token);
      assertThat(route.node()).isSameAs(r2);
      assertThat(route.awaitPosition()).isNull();
    }
  }

  @Test
  void readYourWritesWaitsOnTheLeastLaggingReplicaWhenNoneHasTheToken() {
    Cluster c = cluster(Balancing.ROUND_ROBIN);
    r1.lagTime = Duration.ofMillis(900);
    r2.lagTime = Duration.ofMillis(100);
    Cluster.Route route =
        c.route(ConsistencyPolicy.READ_YOUR_WRITES, ConsistencyToken.parse("c1;orders:pg:0/300"));
    assertThat(route.node()).isSameAs(r2);
    assertThat(route.awaitPosition()).isEqualTo(Position.Lsn.parse("0/300"));
  }

  @Test
  void unknownSourceInTheTokenMeansPrimary() {
    Cluster c = cluster(Balancing.ROUND_ROBIN);
    Cluster.Route route =
        c.route(ConsistencyPolicy.READ_YOUR_WRITES, ConsistencyToken.parse("c1;billing:pg:0/1"));
    assertThat(route.node()).isSameAs(primary);
    assertThat(route.fallbackReason()).isEqualTo("unknown_source");
    assertThat(
            f.registry
                .find("cohort.replica.fallbacks")
                .tag("reason", "unknown_source")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void boundedStalenessCountsTheAgeOfTheMeasurement() {
    Cluster c = cluster(Balancing.ROUND_ROBIN);
    r1.lagTime = Duration.ofMillis(100);
    r2.lagTime = Duration.ofSeconds(2);
    ConsistencyPolicy oneSecond = ConsistencyPolicy.boundedStaleness(Duration.ofSeconds(1));
    assertThat(c.route(oneSecond, ConsistencyToken.EMPTY).node()).isSameAs(r1);
    f.advance(Duration.ofSeconds(1));
    Cluster.Route stale = c.route(oneSecond, ConsistencyToken.EMPTY);
    assertThat(stale.node()).isSameAs(primary);
    assertThat(stale.fallbackReason()).isEqualTo("staleness");
  }

  @Test
  void downReplicasAreSkipped() {
    Cluster c = cluster(Balancing.ROUND_ROBIN);
    f.fails(r1);
    assertThat(spread(c, ConsistencyPolicy.EVENTUAL, 4)).containsOnlyKeys("r2");
    f.fails(r2);
    assertThat(c.route(ConsistencyPolicy.EVENTUAL, ConsistencyToken.EMPTY).fallbackReason())
        .isEqualTo("no_replica");
  }
}
