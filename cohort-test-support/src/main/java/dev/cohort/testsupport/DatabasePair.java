package dev.cohort.testsupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** Pooled connections to one database's primary and its replica. */
public final class DatabasePair implements AutoCloseable {
  private static final Pattern NAMESPACE = Pattern.compile("[a-z][a-z0-9_]{0,50}");

  private final DatabaseKind kind;
  private final String primaryUrl;
  private final String replicaUrl;
  private final String user;
  private final String password;
  private final HikariDataSource primary;
  private final HikariDataSource replica;
  private final List<DatabasePair> children = new ArrayList<>();

  private DatabasePair(
      DatabaseKind kind, String primaryUrl, String replicaUrl, String user, String password) {
    this.kind = kind;
    this.primaryUrl = primaryUrl;
    this.replicaUrl = replicaUrl;
    this.user = user;
    this.password = password;
    this.primary = pool(kind + "-primary", primaryUrl, false);
    try {
      this.replica = pool(kind + "-replica", replicaUrl, true);
    } catch (RuntimeException e) {
      primary.close();
      throw e;
    }
  }

  static DatabasePair open(
      DatabaseKind kind, String primaryUrl, String replicaUrl, String user, String password) {
    return new DatabasePair(kind, primaryUrl, replicaUrl, user, password);
  }

  public DatabaseKind kind() {
    return kind;
  }

  public DataSource primary() {
    return primary;
  }

  public DataSource replica() {
    return replica;
  }

  public String primaryUrl() {
    return primaryUrl;
  }

  public String replicaUrl() {
    return replicaUrl;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /**
   * Drops and recreates the namespace {@code name} (a PostgreSQL schema, a MariaDB database), waits
   * until the replica has it too, and returns a pair whose connections work inside it. Closed with
   * this pair.
   */
  public DatabasePair isolated(String name) {
    if (!NAMESPACE.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "namespace '" + name + "' must match " + NAMESPACE.pattern() + " (lower-case SQL name)");
    }
    try (Connection c = primary.getConnection();
        Statement s = c.createStatement()) {
      // A test that died between PREPARE and COMMIT leaves a prepared transaction holding locks;
      // the DROP below would wait for it forever.
      for (String rollback : kind.leftoverPreparedRollbacks(c)) {
        s.execute(rollback);
      }
      for (String sql : kind.recreateNamespaceSql(name)) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not recreate " + kind + " namespace " + name, e);
    }
    awaitReplicaCaughtUp(Duration.ofSeconds(30));
    DatabasePair child =
        new DatabasePair(
            kind, kind.urlFor(primaryUrl, name), kind.urlFor(replicaUrl, name), user, password);
    synchronized (children) {
      children.add(child);
    }
    return child;
  }

  /** The primary's current replication position: a WAL LSN or a MariaDB GTID position. */
  public String primaryPosition() {
    String sql =
        switch (kind) {
          case POSTGRES -> "SELECT pg_current_wal_lsn()::text";
          case MARIADB -> "SELECT @@gtid_binlog_pos";
        };
    try (Connection c = primary.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the " + kind + " primary's position", e);
    }
  }

  /** Whether the replica has applied everything up to {@code position}, without waiting. */
  public boolean replicaHasApplied(String position) {
    String sql =
        switch (kind) {
          case POSTGRES -> "SELECT coalesce(pg_last_wal_replay_lsn() >= ?::pg_lsn, false)";
          case MARIADB -> "SELECT MASTER_GTID_WAIT(?, 0) = 0";
        };
    try (Connection c = replica.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, position);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the " + kind + " replica's position", e);
    }
  }

  /** Waits until the replica has applied everything the primary had when this was called. */
  public void awaitReplicaCaughtUp(Duration timeout) {
    String position = primaryPosition();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!replicaHasApplied(position)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            kind + " replica did not reach position " + position + " within " + timeout);
      }
      pause();
    }
  }

  private static void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the replica", e);
    }
  }

  private HikariDataSource pool(String name, String url, boolean readOnly) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setReadOnly(readOnly);
    config.setMaximumPoolSize(8);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(10_000);
    return new HikariDataSource(config);
  }

  @Override
  public void close() {
    List<DatabasePair> toClose;
    synchronized (children) {
      toClose = new ArrayList<>(children);
      children.clear();
    }
    toClose.forEach(DatabasePair::close);
    replica.close();
    primary.close();
  }
}
