package dev.cohort.replica.internal;

import dev.cohort.replica.ConsistencyPolicy;
import dev.cohort.replica.ConsistencyToken;
import dev.cohort.replica.Position;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A logical connection that opens physical connections on the primary or a replica as its
 * statements need them.
 *
 * <ul>
 *   <li>writes, locking reads, calls, savepoints: primary; afterwards every statement of this
 *       connection stays on the primary (it may read what it just wrote);
 *   <li>a transaction (autocommit off) that is not read-only: primary;
 *   <li>a read-only transaction: one replica chosen at its first statement, for all of it;
 *   <li>other reads: the node the {@link Cluster} routes to under the thread's policy and token.
 * </ul>
 *
 * After a commit that wrote on the primary, the primary's position is merged into the thread's
 * session token.
 */
public final class RoutingConnection implements InvocationHandler {
  private final Cluster cluster;
  private final SqlClassifier classifier;
  private final Connection proxy;
  private final Map<Node, Connection> physical = new LinkedHashMap<>(4);
  private boolean autoCommit = true;
  private boolean readOnly;
  private boolean closed;
  private Integer isolation;
  private String schema;
  private String catalog;
  private boolean stickyPrimary;
  private boolean txDirty;
  private Node txPin;
  private Node primaryNode;
  private CriticalScope criticalEntered;

  private RoutingConnection(Cluster cluster) {
    this.cluster = cluster;
    this.classifier = cluster.dialect().classifier();
    this.proxy =
        (Connection)
            Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, this);
  }

  public static Connection open(Cluster cluster) {
    return new RoutingConnection(cluster).proxy;
  }

  @Override
  public Object invoke(Object p, Method m, Object[] args) throws Throwable {
    String name = m.getName();
    switch (name) {
      case "close" -> {
        close();
        return null;
      }
      case "isClosed" -> {
        return closed;
      }
      case "equals" -> {
        return p == args[0];
      }
      case "hashCode" -> {
        return System.identityHashCode(p);
      }
      case "toString" -> {
        return "RoutingConnection" + physical.keySet();
      }
      default -> {}
    }
    if (closed) {
      if (name.equals("isValid")) {
        return false;
      }
      throw new SQLException("connection is closed (" + name + ")", "08003");
    }
    switch (name) {
      case "createStatement" -> {
        return RoutingStatement.create(this, m, args);
      }
      case "prepareStatement" -> {
        String sql = (String) args[0];
        SqlClassifier.Kind kind = classifier.classify(sql);
        Node node = target(kind);
        PreparedStatement real = (PreparedStatement) Invocations.call(physical(node), m, args);
        return TrackedStatement.wrap(this, real, PreparedStatement.class, node, kind, m, args);
      }
      case "prepareCall" -> {
        Node node = target(SqlClassifier.Kind.WRITE);
        CallableStatement real = (CallableStatement) Invocations.call(physical(node), m, args);
        return TrackedStatement.wrap(
            this, real, CallableStatement.class, node, SqlClassifier.Kind.WRITE, m, args);
      }
      case "setAutoCommit" -> {
        setAutoCommit((Boolean) args[0]);
        return null;
      }
      case "getAutoCommit" -> {
        return autoCommit;
      }
      case "setReadOnly" -> {
        readOnly = (Boolean) args[0];
        Connection primary = primaryNode == null ? null : physical.get(primaryNode);
        if (primary != null) {
          primary.setReadOnly(readOnly);
        }
        return null;
      }
      case "isReadOnly" -> {
        return readOnly;
      }
      case "commit" -> {
        commit();
        return null;
      }
      case "rollback" -> {
        if (args == null || args.length == 0) {
          rollback();
          return null;
        }
        return Invocations.call(physical(target(SqlClassifier.Kind.WRITE)), m, args);
      }
      case "setSavepoint", "releaseSavepoint" -> {
        return Invocations.call(physical(target(SqlClassifier.Kind.WRITE)), m, args);
      }
      case "setTransactionIsolation" -> {
        isolation = (Integer) args[0];
        for (Connection c : physical.values()) {
          c.setTransactionIsolation(isolation);
        }
        return null;
      }
      case "getTransactionIsolation" -> {
        return isolation != null ? isolation : anyPhysical().getTransactionIsolation();
      }
      case "setSchema" -> {
        schema = (String) args[0];
        for (Connection c : physical.values()) {
          c.setSchema(schema);
        }
        return null;
      }
      case "setCatalog" -> {
        catalog = (String) args[0];
        for (Connection c : physical.values()) {
          c.setCatalog(catalog);
        }
        return null;
      }
      case "isValid" -> {
        for (Connection c : physical.values()) {
          if (!c.isValid((Integer) args[0])) {
            return false;
          }
        }
        return true;
      }
      case "getWarnings" -> {
        return null;
      }
      case "clearWarnings" -> {
        return null;
      }
      case "isWrapperFor" -> {
        Class<?> iface = (Class<?>) args[0];
        return iface.isInstance(proxy) || anyPhysical().isWrapperFor(iface);
      }
      case "unwrap" -> {
        Class<?> iface = (Class<?>) args[0];
        return iface.isInstance(proxy) ? proxy : anyPhysical().unwrap(iface);
      }
      case "abort" -> {
        closed = true;
        for (Connection c : physical.values()) {
          c.abort((java.util.concurrent.Executor) args[0]);
        }
        physical.clear();
        return null;
      }
      default -> {
        return Invocations.call(anyPhysical(), m, args);
      }
    }
  }

  Connection proxy() {
    return proxy;
  }

  SqlClassifier classifier() {
    return classifier;
  }

  Cluster cluster() {
    return cluster;
  }

  /** The node a statement of {@code kind} runs on now; opens nothing. */
  Node target(SqlClassifier.Kind kind) throws SQLException {
    ConsistencyContext ctx = ConsistencyContext.current();
    if (kind != SqlClassifier.Kind.READ) {
      if (autoCommit) {
        stickyPrimary = true;
      }
      return primary();
    }
    if (stickyPrimary || (!autoCommit && !readOnly)) {
      Node n = primary();
      cluster.metrics().read(n, true);
      return n;
    }
    if (txPin != null) {
      cluster.metrics().read(txPin, txPin == primaryNode);
      return txPin;
    }
    if (ctx.primaryForced() || (ctx.critical() instanceof CriticalScope cs && cs.covers(cluster))) {
      Node n = primary();
      cluster.metrics().read(n, true);
      return n;
    }
    ConsistencyPolicy policy = ctx.policyOr(cluster.options().defaultPolicy());
    ConsistencyToken token = ConsistencyToken.EMPTY;
    if (policy instanceof ConsistencyPolicy.ReadYourWrites) {
      try {
        token = ctx.token();
      } catch (IllegalStateException e) {
        cluster.fallback("token_unresolved", e.getMessage());
        Node n = primary();
        cluster.metrics().read(n, true);
        return n;
      }
    }
    Cluster.Route route = cluster.route(policy, token);
    Node chosen = resolve(route);
    if (!autoCommit) {
      txPin = chosen;
    }
    cluster.metrics().read(chosen, chosen == primaryNode);
    return chosen;
  }

  /** Opens (if needed) the route's node and waits there for its position; else the primary. */
  private Node resolve(Cluster.Route route) throws SQLException {
    Node n = route.node();
    if (cluster.isPrimary(n)) {
      return primary();
    }
    Connection c;
    try {
      c = physical(n);
    } catch (SQLException e) {
      cluster.markDown(n, e);
      cluster.fallback("replica_unavailable", "replica " + n.name + " failed: " + e.getMessage());
      return primary();
    }
    Position wait = route.awaitPosition();
    if (wait == null) {
      return n;
    }
    long start = System.nanoTime();
    boolean applied;
    try {
      applied = cluster.dialect().awaitApplied(c, wait, cluster.options().maxWait());
    } catch (SQLException e) {
      release(n);
      cluster.markDown(n, e);
      cluster.fallback("replica_unavailable", "replica " + n.name + " failed: " + e.getMessage());
      return primary();
    }
    cluster.metrics().waited(applied, Duration.ofNanos(System.nanoTime() - start));
    if (applied) {
      n.observeApplied(wait);
      return n;
    }
    release(n);
    cluster.fallback(
        "lag",
        "no replica applied "
            + wait
            + " within "
            + cluster.options().maxWait()
            + "; reading from the primary (all replicas lagging?)");
    return primary();
  }

  private Node primary() {
    if (primaryNode == null) {
      primaryNode = cluster.primary();
    }
    return primaryNode;
  }

  /** The physical connection to {@code n}, opened and set up on first use. */
  Connection physical(Node n) throws SQLException {
    Connection c = physical.get(n);
    if (c != null) {
      return c;
    }
    c = n.dataSource.getConnection();
    try {
      boolean isPrimary = n == primaryNode;
      if (!autoCommit) {
        c.setAutoCommit(false);
      }
      if (isPrimary && readOnly) {
        c.setReadOnly(true);
      }
      if (isolation != null) {
        c.setTransactionIsolation(isolation);
      }
      if (schema != null) {
        c.setSchema(schema);
      }
      if (catalog != null) {
        c.setCatalog(catalog);
      }
      if (isPrimary
          && ConsistencyContext.current().critical() instanceof CriticalScope cs
          && cs.covers(cluster)) {
        cluster.dialect().enterCritical(c);
        criticalEntered = cs;
        cs.record(cluster.dialect().guarantee(c));
      }
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
    physical.put(n, c);
    return c;
  }

  private void release(Node n) {
    Connection c = physical.remove(n);
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // returning a connection to its pool; the pool discards it if it is broken
      }
    }
  }

  private Connection anyPhysical() throws SQLException {
    if (!physical.isEmpty()) {
      return physical.values().iterator().next();
    }
    return physical(primary());
  }

  /** Called after a statement ran on {@code node}. */
  void executed(Node node, SqlClassifier.Kind kind) throws SQLException {
    if (node != primaryNode || kind == SqlClassifier.Kind.READ) {
      return;
    }
    if (autoCommit) {
      ConsistencyContext.current().written(cluster);
    } else {
      txDirty = true;
    }
  }

  /** Whether a statement of {@code kind} on {@code node} may be re-run on the primary. */
  boolean retriesOnPrimary(Node node, SqlClassifier.Kind kind) {
    return kind == SqlClassifier.Kind.READ && autoCommit && node != primaryNode;
  }

  /**
   * Errors a replica raises that a primary would not: a lost connection (SQLState class 08), a
   * server shutting the session (57P01..57P03), a hot standby cancelling a query in conflict with
   * recovery (40001).
   */
  static boolean replicaFailure(SQLException e) {
    String state = e.getSQLState();
    return state != null
        && (state.startsWith("08")
            || state.equals("40001")
            || state.equals("57P01")
            || state.equals("57P02")
            || state.equals("57P03"));
  }

  /**
   * A read failed on replica {@code n}: drops its connection when that is broken, counts the
   * fallback and returns the primary to re-run the read on.
   */
  Node replicaFailed(Node n, SQLException cause) {
    String state = cause.getSQLState();
    if (state != null && !state.equals("40001")) {
      release(n);
      cluster.markDown(n, cause);
    }
    cluster.fallback(
        "replica_error", "read on replica " + n.name + " failed (" + cause.getMessage() + ")");
    return primary();
  }

  /**
   * Called when a statement failed on {@code node}. A write refused by the primary (a duplicate
   * key, say) still showed the caller the primary's state, so in autocommit mode the session is
   * marked as having written: a later read must not see less than the error implied.
   */
  void failed(Node node, SqlClassifier.Kind kind) {
    if (node != primaryNode || kind == SqlClassifier.Kind.READ || !autoCommit) {
      return;
    }
    ConsistencyContext.current().written(cluster);
  }

  private void setAutoCommit(boolean on) throws SQLException {
    if (on == autoCommit) {
      return;
    }
    for (Connection c : physical.values()) {
      c.setAutoCommit(on);
    }
    autoCommit = on;
    txPin = null;
    if (on && txDirty) {
      txDirty = false;
      ConsistencyContext.current().written(cluster);
    }
  }

  private void commit() throws SQLException {
    for (Connection c : physical.values()) {
      c.commit();
    }
    txPin = null;
    if (txDirty) {
      txDirty = false;
      ConsistencyContext.current().written(cluster);
    }
  }

  private void rollback() throws SQLException {
    try {
      for (Connection c : physical.values()) {
        c.rollback();
      }
    } finally {
      txPin = null;
      txDirty = false;
    }
  }

  private void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    SQLException first = null;
    for (Map.Entry<Node, Connection> e : physical.entrySet()) {
      try {
        if (criticalEntered != null && e.getKey() == primaryNode) {
          if (!autoCommit) {
            e.getValue().rollback(); // what the pool would do; lets the RESET below run
          }
          cluster.dialect().exitCritical(e.getValue());
        }
      } catch (SQLException ex) {
        first = ex;
      }
      try {
        e.getValue().close();
      } catch (SQLException ex) {
        if (first == null) {
          first = ex;
        } else {
          first.addSuppressed(ex);
        }
      }
    }
    physical.clear();
    if (first != null) {
      throw first;
    }
  }
}
