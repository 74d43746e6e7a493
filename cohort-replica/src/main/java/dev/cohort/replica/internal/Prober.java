package dev.cohort.replica.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;

/** Asks one node for its role and position, and hands the answer (or failure) to the policy. */
final class Prober {
  private final Dialect dialect;
  private final NodeHealthPolicy health;
  private final Clock clock;
  private final int timeoutSeconds;

  Prober(Dialect dialect, NodeHealthPolicy health, Clock clock, int timeoutSeconds) {
    this.dialect = dialect;
    this.health = health;
    this.clock = clock;
    this.timeoutSeconds = timeoutSeconds;
  }

  void probe(Node n) {
    Instant now = clock.instant();
    if (health.backingOff(n, now)) {
      return;
    }
    Dialect.Probe probe;
    try (Connection c = n.dataSource.getConnection()) {
      probe = dialect.probe(c, timeoutSeconds);
    } catch (SQLException | RuntimeException e) {
      health.failed(n, now, e);
      return;
    }
    health.answered(n, probe, now);
  }
}
