package dev.cohort.replica.internal;

import dev.cohort.replica.NodeHealth;
import dev.cohort.replica.ReplicaOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what probes and failed connections say into {@link NodeHealth} transitions: answered
 * writable, answered read-only (then the rotation rule on its lag), failed (with a backoff before
 * the next probe). Every change of role that follows is left to {@link Roles#check()}.
 */
final class NodeHealthPolicy {
  private static final Logger log = LoggerFactory.getLogger(NodeHealthPolicy.class);

  private final ReplicaOptions options;
  private final List<Node> nodes;
  private final Roles roles;
  private final LagSampler lag;
  private final Backoff backoff;
  private Instant lastEjection = Instant.MIN;

  NodeHealthPolicy(ReplicaOptions options, List<Node> nodes, Roles roles, LagSampler lag) {
    this.options = options;
    this.nodes = nodes;
    this.roles = roles;
    this.lag = lag;
    this.backoff = new Backoff(options.backoffInitial(), options.backoffMax());
  }

  /** Whether node {@code n} is still backing off at {@code now}: no probe then. */
  boolean backingOff(Node n, Instant now) {
    synchronized (n) {
      return now.isBefore(n.retryAt);
    }
  }

  /** A probe of {@code n} answered at {@code now}. */
  void answered(Node n, Dialect.Probe probe, Instant now) {
    NodeHealth before;
    synchronized (n) {
      n.failures = 0;
      n.retryAt = Instant.MIN;
      n.lastError = null;
      n.position = probe.position();
      n.lastProbe = now;
      NodeHealth h = n.health();
      if (probe.writable()) {
        before = n.moveTo(NodeHealth.WRITABLE);
      } else if (h == NodeHealth.UP || h == NodeHealth.LAGGING) {
        before = h;
      } else {
        before = n.moveTo(NodeHealth.UP);
      }
    }
    if (before == NodeHealth.DOWN) {
      log.info("cohort-replica source '{}': node {} answers again", options.sourceId(), n.name);
    }
    if (roles.isPrimary(n)) {
      if (probe.position() != null) {
        lag.primaryAt(now, probe.position());
      }
    } else {
      lag.measure(n, now);
      if (!probe.writable()) {
        rotate(n, now);
      }
    }
    roles.check();
  }

  /** A probe of {@code n}, or a connection to it, failed at {@code now}. */
  void failed(Node n, Instant now, Exception e) {
    NodeHealth before;
    Duration wait;
    synchronized (n) {
      n.failures++;
      n.lastError = String.valueOf(e.getMessage());
      wait = backoff.after(n.failures);
      n.retryAt = now.plus(wait);
      before = n.moveTo(NodeHealth.DOWN);
    }
    if (before != NodeHealth.DOWN) {
      log.warn(
          "cohort-replica source '{}': node {} is unreachable ({}); skipped, next try in {}",
          options.sourceId(),
          n.name,
          e.getMessage(),
          wait);
    }
    roles.check();
  }

  /**
   * A replica whose lag exceeds {@code maxLag} leaves the rotation (UP to LAGGING) and returns
   * below half of it. Against cascades (load moves to the others, they fall behind too, everything
   * lands on the primary): at most one replica leaves per poll interval, and the last replica in
   * the rotation never leaves for lag; per-read checks (tokens, bounded staleness) still protect
   * freshness.
   */
  private synchronized void rotate(Node n, Instant now) {
    Duration behind = n.lagTime;
    NodeHealth h = n.health();
    if (h == NodeHealth.UP && behind.compareTo(options.maxLag()) > 0) {
      long inRotation =
          nodes.stream().filter(x -> !roles.isPrimary(x) && x.health() == NodeHealth.UP).count();
      boolean recentEjection =
          Duration.between(lastEjection, now).compareTo(options.pollInterval()) < 0;
      if (inRotation > 1 && !recentEjection) {
        n.moveTo(NodeHealth.LAGGING);
        lastEjection = now;
        log.warn(
            "cohort-replica source '{}': replica {} is {} behind (max {}); out of the rotation",
            options.sourceId(),
            n.name,
            behind,
            options.maxLag());
      }
    } else if (h == NodeHealth.LAGGING && behind.compareTo(options.maxLag().dividedBy(2)) <= 0) {
      n.moveTo(NodeHealth.UP);
      log.info(
          "cohort-replica source '{}': replica {} caught up ({} behind); back in the rotation",
          options.sourceId(),
          n.name,
          behind);
    }
  }
}
