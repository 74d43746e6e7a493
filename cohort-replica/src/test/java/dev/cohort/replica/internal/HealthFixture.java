package dev.cohort.replica.internal;

import dev.cohort.jdbc.Database;
import dev.cohort.replica.Balancing;
import dev.cohort.replica.NodeHealthListener;
import dev.cohort.replica.Position;
import dev.cohort.replica.ReplicaOptions;
import dev.cohort.testing.time.ManualScheduler;
import dev.cohort.testing.time.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A cluster of a primary and two replicas whose probe answers a test hands in, on a hand-driven
 * clock. The answers are what {@link Prober} would pass on from a database.
 */
final class HealthFixture {
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Node primary;
  final Node r1;
  final Node r2;
  final Cluster cluster;

  HealthFixture(Balancing balancing, NodeHealthListener listener) {
    primary = new Node("p", null, 1, listener);
    r1 = new Node("r1", null, 3, listener);
    r2 = new Node("r2", null, 1, listener);
    ReplicaOptions options =
        ReplicaOptions.builder()
            .sourceId("orders")
            .foreignSources("users")
            .balancing(balancing)
            .clock(clock)
            .maxLag(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(50))
            .backoff(Duration.ofSeconds(1), Duration.ofSeconds(4))
            .database(Database.POSTGRESQL)
            .build();
    cluster =
        new Cluster(
            primary,
            List.of(r1, r2),
            options,
            Dialect.of(Database.POSTGRESQL),
            registry,
            new ManualScheduler(clock));
  }

  /** Every node answers: the primary writable at 0/100, the replicas read-only, caught up. */
  HealthFixture started() {
    writable(primary, "0/100");
    readOnly(r1, "0/100");
    readOnly(r2, "0/100");
    return this;
  }

  void readOnly(Node n, String lsn) {
    cluster
        .health()
        .answered(n, new Dialect.Probe(false, Position.Lsn.parse(lsn)), clock.instant());
  }

  void writable(Node n, String lsn) {
    cluster.health().answered(n, new Dialect.Probe(true, Position.Lsn.parse(lsn)), clock.instant());
  }

  void fails(Node n) {
    cluster.health().failed(n, clock.instant(), new SQLException("connection refused", "08001"));
  }

  void advance(Duration d) {
    clock.advance(d);
  }
}
