package dev.cohort.replica.internal;

import dev.cohort.api.Scheduler;
import dev.cohort.replica.ConsistencyPolicy;
import dev.cohort.replica.ConsistencyToken;
import dev.cohort.replica.LagDistribution;
import dev.cohort.replica.Position;
import dev.cohort.replica.ReplicaOptions;
import dev.cohort.replica.ReplicaStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes of one source and the parts that keep track of them: the {@link Poller} and {@link
 * Prober}, the {@link NodeHealthPolicy} (with {@link LagSampler} and the rotation rule), {@link
 * Roles} (failover) and the {@link ReadRouter}.
 */
public final class Cluster implements AutoCloseable, ConsistencyContext.PendingSource {
  private static final Logger log = LoggerFactory.getLogger(Cluster.class);

  /** Where a read goes, and the position to wait for there first (null: none). */
  public record Route(Node node, Position awaitPosition, String fallbackReason) {}

  private final ReplicaOptions options;
  private final Dialect dialect;
  private final List<Node> nodes;
  private final ReplicaMetrics metrics;
  private final Roles roles;
  private final NodeHealthPolicy health;
  private final Fallbacks fallbacks;
  private final ReadRouter router;
  private final Prober prober;
  private final Poller poller;
  private final Scheduler scheduler;
  private final LagSampler lag;

  public Cluster(
      Node primary,
      List<Node> replicas,
      ReplicaOptions options,
      Dialect dialect,
      MeterRegistry registry,
      Scheduler scheduler) {
    this.options = options;
    this.dialect = dialect;
    List<Node> all = new ArrayList<>();
    all.add(primary);
    all.addAll(replicas);
    this.nodes = List.copyOf(all);
    this.metrics = new ReplicaMetrics(registry, options.sourceId());
    LagSampler lag = new LagSampler();
    this.lag = lag;
    this.roles = new Roles(options.sourceId(), primary, nodes, lag, metrics);
    this.health = new NodeHealthPolicy(options, nodes, roles, lag);
    this.fallbacks = new Fallbacks(options, roles, metrics);
    this.router = new ReadRouter(options, dialect, nodes, roles, fallbacks);
    int timeoutSeconds = (int) Math.max(1, options.probeTimeout().toSeconds());
    this.prober = new Prober(dialect, health, options.clock(), timeoutSeconds);
    this.scheduler = scheduler;
    this.poller = new Poller(scheduler, options.pollInterval(), prober::probe);
    for (Node n : nodes) {
      metrics.registerLag(n);
    }
  }

  /** Probes every node once (so the first reads know the replicas), then polls in background. */
  public void start() {
    if (nodes.size() == 1) {
      log.info(
          "cohort-replica source '{}': no replicas configured, every statement goes to the"
              + " primary {}",
          options.sourceId(),
          roles.primary().name);
    }
    for (Node n : nodes) {
      prober.probe(n);
    }
    poller.start(nodes);
  }

  public ReplicaOptions options() {
    return options;
  }

  public Dialect dialect() {
    return dialect;
  }

  public Node primary() {
    return roles.primary();
  }

  public boolean isPrimary(Node n) {
    return roles.isPrimary(n);
  }

  public List<ReplicaStatus> status() {
    Node p = roles.primary();
    return nodes.stream().map(n -> n.status(n == p)).toList();
  }

  /** The replicas' recently measured lag times. */
  public LagDistribution lagDistribution() {
    return lag.distribution();
  }

  List<Node> nodes() {
    return nodes;
  }

  ReplicaMetrics metrics() {
    return metrics;
  }

  NodeHealthPolicy health() {
    return health;
  }

  /** A token holding the current primary's position now (covers every commit so far). */
  @Override
  public ConsistencyToken currentToken() {
    Node p = roles.primary();
    try (Connection c = p.dataSource.getConnection()) {
      return ConsistencyToken.of(options.sourceId(), dialect.currentPosition(c));
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cohort-replica source '"
              + options.sourceId()
              + "': could not read the position of primary "
              + p.name
              + " for the session token ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  /**
   * Decides where a replica-eligible read goes under {@code policy} for a session at {@code token}.
   */
  public Route route(ConsistencyPolicy policy, ConsistencyToken token) {
    return router.route(policy, token);
  }

  /** Records a fallback and returns the primary route. */
  Route fallback(String reason, String why) {
    return fallbacks.toPrimary(reason, why);
  }

  /** A replica connection failed in use: skip it until the poller sees it again. */
  void markDown(Node n, Exception cause) {
    if (roles.isPrimary(n)) {
      return;
    }
    health.failed(n, options.clock().instant(), cause);
  }

  @Override
  public void close() {
    poller.close();
    scheduler.close();
  }
}
