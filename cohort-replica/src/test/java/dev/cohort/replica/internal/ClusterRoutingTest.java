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
  void boundedStalenessCountsTheAgeOfThePrimarysSample() {
    Cluster c = cluster(Balancing.ROUND_ROBIN);
    ConsistencyPolicy halfSecond = ConsistencyPolicy.boundedStaleness(Duration.ofMillis(500));
    assertThat(c.route(halfSecond, ConsistencyToken.EMPTY).node()).isIn(r1, r2);
    // The primary's probe is late; the replicas answer on time and look caught up with the last
    // position seen on the primary — which is 900 ms old, so they may miss 900 ms of commits.
    f.advance(Duration.ofMillis(900));
    f.readOnly(r1, "0/100");
    f.readOnly(r2, "0/100");
    Cluster.Route late = c.route(halfSecond, ConsistencyToken.EMPTY);
    assertThat(late.node()).isSameAs(primary);
    assertThat(late.fallbackReason()).isEqualTo("staleness");
    // The primary is seen again, still at 0/100: the replicas are complete as of now.
    f.writable(primary, "0/100");
    f.readOnly(r1, "0/100");
    assertThat(c.route(halfSecond, ConsistencyToken.EMPTY).node()).isSameAs(r1);
  }

  @Test
  void boundedStalenessKeepsOnlyReplicasCompleteWithinTheBound() {
    Cluster c = cluster(Balancing.ROUND_ROBIN);
    f.advance(Duration.ofMillis(400));
    f.writable(primary, "0/200");
    f.readOnly(r1, "0/200");
    f.readOnly(r2, "0/100");
    f.advance(Duration.ofMillis(300));
    // r2 has everything before t0 (700 ms ago), r1 everything before t0 + 400 ms (300 ms ago).
    ConsistencyPolicy halfSecond = ConsistencyPolicy.boundedStaleness(Duration.ofMillis(500));
    assertThat(spread(c, halfSecond, 4)).containsOnlyKeys("r1");
    f.advance(Duration.ofMillis(300));
    assertThat(c.route(halfSecond, ConsistencyToken.EMPTY).fallbackReason())
        .as("no probe for 600 ms: nobody is known to be within 500 ms")
        .isEqualTo("staleness");
  }

  @Test
  void readYourWritesDoesNotWaitOnAReplicaFurtherBehindThanTheWait() {
    Cluster c = cluster(Balancing.ROUND_ROBIN);
    r1.lagTime = Duration.ofMillis(900);
    r2.lagTime = Duration.ofMillis(300);
    Cluster.Route route =
        c.route(ConsistencyPolicy.READ_YOUR_WRITES, ConsistencyToken.parse("c1;orders:pg:0/300"));
    assertThat(route.node()).isSameAs(primary);
    assertThat(route.awaitPosition()).isNull();
    assertThat(route.fallbackReason()).isEqualTo("lag");
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
