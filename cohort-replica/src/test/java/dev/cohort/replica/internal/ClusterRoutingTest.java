package dev.cohort.replica.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.replica.Balancing;
import dev.cohort.replica.ConsistencyPolicy;
import dev.cohort.replica.ConsistencyToken;
import dev.cohort.replica.DatabaseKind;
import dev.cohort.replica.Position;
import dev.cohort.replica.ReplicaOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routing decisions on nodes whose probe results are set by hand; no database, no sleeping. */
class ClusterRoutingTest {
  private final MutableClock clock = new MutableClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Node primary = new Node("p", null, 1);
  private final Node r1 = new Node("r1", null, 3);
  private final Node r2 = new Node("r2", null, 1);

  private Cluster cluster(Balancing balancing) {
    ReplicaOptions options =
        ReplicaOptions.builder()
            .sourceId("orders")
            .foreignSources("users")
            .balancing(balancing)
            .clock(clock)
            .databaseKind(DatabaseKind.POSTGRESQL)
            .build();
    for (Node n : List.of(r1, r2)) {
      n.position = Position.Lsn.parse("0/100");
      n.lastProbe = clock.instant();
    }
    return new Cluster(
        primary, List.of(r1, r2), options, Dialect.of(DatabaseKind.POSTGRESQL), registry);
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
    r2.position = Position.Lsn.parse("0/200");
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
            registry
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
    clock.advance(Duration.ofSeconds(1));
    Cluster.Route stale = c.route(oneSecond, ConsistencyToken.EMPTY);
    assertThat(stale.node()).isSameAs(primary);
    assertThat(stale.fallbackReason()).isEqualTo("staleness");
  }

  @Test
  void downAndEjectedReplicasAreSkipped() {
    Cluster c = cluster(Balancing.ROUND_ROBIN);
    r1.up = false;
    assertThat(spread(c, ConsistencyPolicy.EVENTUAL, 4)).containsOnlyKeys("r2");
    r2.inRotation = false;
    assertThat(c.route(ConsistencyPolicy.EVENTUAL, ConsistencyToken.EMPTY).fallbackReason())
        .isEqualTo("no_replica");
  }

  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
