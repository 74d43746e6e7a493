package dev.cohort.replica.internal;

import dev.cohort.replica.ConsistencyPolicy;
import dev.cohort.replica.ConsistencyToken;
import dev.cohort.replica.NodeHealth;
import dev.cohort.replica.Position;
import dev.cohort.replica.ReplicaOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The routing decision for a replica-eligible read, from what the poller last saw. */
final class ReadRouter {
  private final ReplicaOptions options;
  private final Dialect dialect;
  private final List<Node> nodes;
  private final Roles roles;
  private final Balancer balancer;
  private final Fallbacks fallbacks;

  ReadRouter(
      ReplicaOptions options, Dialect dialect, List<Node> nodes, Roles roles, Fallbacks fallbacks) {
    this.options = options;
    this.dialect = dialect;
    this.nodes = nodes;
    this.roles = roles;
    this.balancer = new Balancer(options.balancing());
    this.fallbacks = fallbacks;
  }

  Cluster.Route route(ConsistencyPolicy policy, ConsistencyToken token) {
    Node p = roles.primary();
    if (nodes.size() == 1 || policy instanceof ConsistencyPolicy.Primary) {
      return new Cluster.Route(p, null, null);
    }
    List<Node> candidates = inRotation(p);
    if (candidates.isEmpty()) {
      return fallbacks.toPrimary(
          "no_replica", "no replica of source '" + options.sourceId() + "' is usable");
    }
    return switch (policy) {
      case ConsistencyPolicy.Eventual e -> new Cluster.Route(balancer.pick(candidates), null, null);
      case ConsistencyPolicy.BoundedStaleness b -> bounded(candidates, b.maxLag());
      case ConsistencyPolicy.ReadYourWrites r -> readYourWrites(candidates, token);
      case ConsistencyPolicy.Primary x -> new Cluster.Route(p, null, null);
    };
  }

  private List<Node> inRotation(Node p) {
    List<Node> list = new ArrayList<>(nodes.size());
    for (Node n : nodes) {
      if (n != p && n.health() == NodeHealth.UP) {
        list.add(n);
      }
    }
    return list;
  }

  private Cluster.Route bounded(List<Node> candidates, Duration maxLag) {
    Instant now = options.clock().instant();
    List<Node> fresh = new ArrayList<>();
    for (Node n : candidates) {
      // The replica holds every commit made before completeAsOf, so what it misses is at most
      // now - completeAsOf old. That age grows by itself when the poller runs late, unlike a lag
      // figure from the last poll.
      Instant completeAsOf = n.completeAsOf;
      if (completeAsOf != null && Duration.between(completeAsOf, now).compareTo(maxLag) <= 0) {
        fresh.add(n);
      }
    }
    if (fresh.isEmpty()) {
      return fallbacks.toPrimary(
          "staleness", "no replica is known to be within " + maxLag + " of the primary");
    }
    return new Cluster.Route(balancer.pick(fresh), null, null);
  }

  private Cluster.Route readYourWrites(List<Node> candidates, ConsistencyToken token) {
    Position need = null;
    for (Map.Entry<String, Position> e : token.positions().entrySet()) {
      String source = e.getKey();
      if (source.equals(options.sourceId())) {
        need = e.getValue();
      } else if (!options.foreignSources().contains(source)) {
        return fallbacks.toPrimary(
            "unknown_source",
            "the session token names source '"
                + source
                + "', which is neither this cluster ('"
                + options.sourceId()
                + "') nor a declared foreign source; reading from the primary");
      }
    }
    if (need == null) {
      return new Cluster.Route(balancer.pick(candidates), null, null);
    }
    if (!need.kindTag().equals(dialect.positionTag())) {
      return fallbacks.toPrimary(
          "unknown_source",
          "the session token's position for '"
              + options.sourceId()
              + "' is of kind '"
              + need.kindTag()
              + "' but this cluster is "
              + dialect.database());
    }
    List<Node> covered = new ArrayList<>();
    for (Node n : candidates) {
      Position at = n.position;
      if (at != null && at.covers(need)) {
        covered.add(n);
      }
    }
    if (!covered.isEmpty()) {
      return new Cluster.Route(balancer.pick(covered), null, null);
    }
    if (options.maxWait().isZero()) {
      return fallbacks.toPrimary("lag", "no replica has applied " + need + " yet");
    }
    Node best =
        candidates.stream()
            .min(Comparator.comparing((Node n) -> n.lagTime).thenComparing(n -> -n.weight))
            .orElseThrow();
    // A replica that applies commits later than maxWait after the primary (its measured lag) will
    // not have this one within the wait either; a stalled one falls further behind with every
    // poll. Waiting on it would only add maxWait to the read.
    if (best.lagTime.compareTo(options.maxWait()) > 0) {
      return fallbacks.toPrimary(
          "lag",
          "no replica has applied "
              + need
              + " and the closest, "
              + best.name
              + ", is "
              + best.lagTime
              + " behind, more than the "
              + options.maxWait()
              + " a read waits");
    }
    return new Cluster.Route(best, need, null);
  }
}
