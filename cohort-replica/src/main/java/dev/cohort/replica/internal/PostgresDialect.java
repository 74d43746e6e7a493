package dev.cohort.replica.internal;

import dev.cohort.jdbc.Database;
import dev.cohort.replica.Position;
import dev.cohort.replica.SyncGuarantee;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** WAL LSNs: {@code pg_current_wal_lsn()} on the primary, {@code pg_last_wal_replay_lsn()}. */
final class PostgresDialect implements Dialect {
  private static final long WAIT_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  @Override
  public Database database() {
    return Database.POSTGRESQL;
  }

  @Override
  public String positionTag() {
    return "pg";
  }

  @Override
  public SqlClassifier classifier() {
    return SqlClassifier.POSTGRESQL;
  }

  @Override
  public Probe probe(Connection c, int timeoutSeconds) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(timeoutSeconds);
      try (ResultSet rs =
          s.executeQuery(
              "SELECT pg_is_in_recovery(), CASE WHEN pg_is_in_recovery()"
                  + " THEN pg_last_wal_replay_lsn()::text ELSE pg_current_wal_lsn()::text END")) {
        rs.next();
        String lsn = rs.getString(2);
        return new Probe(!rs.getBoolean(1), lsn == null ? null : Position.Lsn.parse(lsn));
      }
    }
  }

  @Override
  public Position currentPosition(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
      rs.next();
      return Position.Lsn.parse(rs.getString(1));
    }
  }

  @Override
  public boolean awaitApplied(Connection c, Position position, Duration timeout)
      throws SQLException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (PreparedStatement s =
        c.prepareStatement("SELECT coalesce(pg_last_wal_replay_lsn() >= ?::pg_lsn, false)")) {
      s.setString(1, position.text());
      while (true) {
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          if (rs.getBoolean(1)) {
            return true;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        LockSupport.parkNanos(Math.min(left, WAIT_STEP_NANOS));
        if (Thread.currentThread().isInterrupted()) {
          throw new SQLException("interrupted while waiting for a replica to apply " + position);
        }
      }
    }
  }

  @Override
  public void enterCritical(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET synchronous_commit = remote_apply");
    }
  }

  @Override
  public void exitCritical(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("RESET synchronous_commit");
    }
  }

  @Override
  public SyncGuarantee guarantee(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT current_setting('synchronous_standby_names'),"
                    + " current_setting('synchronous_commit'),"
                    + " (SELECT count(*) FROM pg_stat_replication"
                    + "  WHERE sync_state IN ('sync', 'quorum'))")) {
      rs.next();
      String names = rs.getString(1);
      String commit = rs.getString(2);
      long sync = rs.getLong(3);
      boolean inForce = !names.isBlank() && "remote_apply".equals(commit) && sync > 0;
      String detail =
          "synchronous_standby_names='"
              + names
              + "', synchronous_commit="
              + commit
              + ", synchronous standbys connected="
              + sync;
      return new SyncGuarantee(inForce, inForce ? "remote_apply" : "none", detail);
    }
  }
}
