package dev.cohort.replica;

import dev.cohort.jdbc.Database;
import dev.cohort.replica.internal.Cluster;
import dev.cohort.replica.internal.CriticalScope;
import dev.cohort.replica.internal.Dialect;
import dev.cohort.replica.internal.Node;
import dev.cohort.replica.internal.RoutingConnection;
import dev.cohort.replica.internal.Sync;
import dev.cohort.replica.internal.ThreadScheduler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} over one primary and any number of replicas (each a pool of your choice).
 * Writes, transactions and locking reads go to the primary; other reads go to a replica when the
 * thread's {@link ConsistencyPolicy} allows, else to the primary.
 *
 * <pre>{@code
 * RoutingDataSource db = RoutingDataSource.builder()
 *     .primary("pg-1", primaryPool)
 *     .replica("pg-2", replicaPool)
 *     .options(ReplicaOptions.builder().sourceId("orders").build())
 *     .build();
 * }</pre>
 *
 * Close it to stop its poller; it does not close the pools it was given.
 */
public final class RoutingDataSource implements DataSource, AutoCloseable {
  private final Cluster cluster;
  private final MeterRegistry registry;
  private final DataSource firstPrimary;
  private final ExecutorService syncExecutor;
  private final ReplicaSync sync;

  private RoutingDataSource(Cluster cluster, MeterRegistry registry, DataSource firstPrimary) {
    this.cluster = cluster;
    this.registry = registry;
    this.firstPrimary = firstPrimary;
    this.syncExecutor = Executors.newVirtualThreadPerTaskExecutor();
    this.sync = new Sync(cluster, syncExecutor);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Connection getConnection() {
    return RoutingConnection.open(cluster);
  }

  /** Not supported: credentials belong to the pools. */
  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException(
        "RoutingDataSource uses the credentials of its pools; call getConnection()");
  }

  /** Waits for replicas to apply a token (e.g. before sending a notification). */
  public ReplicaSync sync() {
    return sync;
  }

  /** Opens a critical-write scope on this thread (see {@link CriticalWrite}). */
  public CriticalWrite criticalWrite() {
    return new CriticalWrite(new CriticalScope(cluster));
  }

  /** Every node as last probed; the primary first only until a failover. */
  public List<ReplicaStatus> status() {
    return cluster.status();
  }

  /**
   * The replicas' recently measured lag times (the last {@link LagDistribution#WINDOW} probes of
   * every replica), e.g. to size a wait that must outlast replication.
   */
  public LagDistribution lagDistribution() {
    return cluster.lagDistribution();
  }

  /** The name of the node taking writes now. */
  public String primaryName() {
    return cluster.primary().name();
  }

  public ReplicaOptions options() {
    return cluster.options();
  }

  /** The registry the meters are in (the configured one, or a private simple registry). */
  public MeterRegistry meterRegistry() {
    return registry;
  }

  @Override
  public void close() {
    cluster.close();
    syncExecutor.shutdownNow();
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return firstPrimary.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    firstPrimary.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    firstPrimary.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return firstPrimary.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return Logger.getLogger("dev.cohort.replica");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("RoutingDataSource does not wrap a " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  /** Names the nodes; {@link #build()} probes them once and starts the poller. */
  public static final class Builder {
    private String primaryName;
    private DataSource primary;
    private final List<ReplicaSpec> replicas = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private ReplicaOptions options = ReplicaOptions.defaults();
    private NodeHealthListener healthListener = (node, from, to) -> {};

    private record ReplicaSpec(String name, DataSource dataSource, int weight) {}

    private Builder() {}

    public Builder primary(String name, DataSource dataSource) {
      if (primary != null) {
        throw new IllegalArgumentException(
            "primary already set to '" + primaryName + "'; cannot also set '" + name + "'");
      }
      this.primaryName = uniqueName(name);
      this.primary = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    public Builder replica(String name, DataSource dataSource) {
      return replica(name, dataSource, 1);
    }

    /** A replica with a weight for {@link Balancing#WEIGHTED} (1 to 1000). */
    public Builder replica(String name, DataSource dataSource, int weight) {
      if (weight < 1 || weight > 1000) {
        throw new IllegalArgumentException(
            "weight of replica '" + name + "' must be between 1 and 1000, got " + weight);
      }
      replicas.add(
          new ReplicaSpec(
              uniqueName(name), Objects.requireNonNull(dataSource, "dataSource"), weight));
      return this;
    }

    public Builder options(ReplicaOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Told of every node health change (see {@link NodeHealth} for the transitions). */
    public Builder healthListener(NodeHealthListener listener) {
      this.healthListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    private String uniqueName(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("node name must not be blank, got '" + name + "'");
      }
      if (!names.add(name)) {
        throw new IllegalArgumentException("node name '" + name + "' is used twice");
      }
      return name;
    }

    public RoutingDataSource build() {
      if (primary == null) {
        throw new IllegalStateException("no primary configured; call primary(name, dataSource)");
      }
      Database database = options.database().orElseGet(this::detect);
      MeterRegistry registry = options.meterRegistry().orElseGet(SimpleMeterRegistry::new);
      List<Node> replicaNodes =
          replicas.stream()
              .map(r -> new Node(r.name(), r.dataSource(), r.weight(), healthListener))
              .toList();
      Cluster cluster =
          new Cluster(
              new Node(primaryName, primary, 1, healthListener),
              replicaNodes,
              options,
              Dialect.of(database),
              registry,
              new ThreadScheduler(
                  "cohort-replica-poller-" + options.sourceId(), 1 + replicaNodes.size()));
      cluster.start();
      return new RoutingDataSource(cluster, registry, primary);
    }

    private Database detect() {
      try (Connection c = primary.getConnection()) {
        return Dialect.detect(c);
      } catch (SQLException e) {
        throw new IllegalStateException(
            "could not detect the database from primary '"
                + primaryName
                + "' ("
                + e.getMessage()
                + "); set ReplicaOptions.database or make the primary reachable",
            e);
      }
    }
  }
}
