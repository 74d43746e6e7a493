package dev.cohort.replica.internal;

import dev.cohort.replica.NodeHealth;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node takes the writes, and failover detection: when the primary is down or read-only and a
 * replica reports itself writable (it was promoted), the roles swap.
 */
final class Roles {
  private static final Logger log = LoggerFactory.getLogger(Roles.class);

  private final String sourceId;
  private final List<Node> nodes;
  private final LagSampler lag;
  private final ReplicaMetrics metrics;
  private volatile Node primary;

  Roles(String sourceId, Node primary, List<Node> nodes, LagSampler lag, ReplicaMetrics metrics) {
    this.sourceId = sourceId;
    this.primary = primary;
    this.nodes = nodes;
    this.lag = lag;
    this.metrics = metrics;
  }

  Node primary() {
    return primary;
  }

  boolean isPrimary(Node n) {
    return n == primary;
  }

  /** Swaps roles when the primary is gone or read-only and a replica has become writable. */
  synchronized void check() {
    Node p = primary;
    NodeHealth ph = p.health();
    // Not probed yet is not a reason to leave the configured primary.
    if (ph == NodeHealth.WRITABLE || ph == NodeHealth.STARTING) {
      return;
    }
    for (Node n : nodes) {
      if (n != p && n.health() == NodeHealth.WRITABLE) {
        primary = n;
        lag.forget();
        metrics.failover();
        log.warn(
            "cohort-replica source '{}': {} is now the primary ({} is {}); writes follow it",
            sourceId,
            n.name,
            p.name,
            ph == NodeHealth.DOWN ? "unreachable" : "read-only");
        return;
      }
    }
  }
}
