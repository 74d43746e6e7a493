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

/**
 * GTIDs: {@code @@last_gtid} after a commit, {@code @@gtid_slave_pos}, {@code MASTER_GTID_WAIT}.
 */
final class MariaDbDialect implements Dialect {
  @Override
  public Database database() {
    return Database.MARIADB;
  }

  @Override
  public String positionTag() {
    return "mdb";
  }

  @Override
  public SqlClassifier classifier() {
    return SqlClassifier.MARIADB;
  }

  @Override
  public Probe probe(Connection c, int timeoutSeconds) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(timeoutSeconds);
      try (ResultSet rs =
          s.executeQuery("SELECT @@read_only, @@gtid_slave_pos, @@gtid_binlog_pos")) {
        rs.next();
        boolean writable = !rs.getBoolean(1);
        String pos = writable ? rs.getString(3) : rs.getString(2);
        return new Probe(writable, Position.Gtids.parse(pos == null ? "" : pos));
      }
    }
  }

  @Override
  public Position currentPosition(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@gtid_binlog_pos")) {
      rs.next();
      String pos = rs.getString(1);
      return Position.Gtids.parse(pos == null ? "" : pos);
    }
  }

  @Override
  public boolean awaitApplied(Connection c, Position position, Duration timeout)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
      s.setString(1, position.text());
      s.setBigDecimal(2, java.math.BigDecimal.valueOf(timeout.toNanos(), 9));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1) == 0;
      }
    }
  }

  @Override
  public void enterCritical(Connection c) {
    // Semi-sync is a server-wide setting; there is nothing to switch per session.
  }

  @Override
  public void exitCritical(Connection c) {}

  @Override
  public SyncGuarantee guarantee(Connection c) throws SQLException {
    String status = "OFF";
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_status'")) {
      if (rs.next()) {
        status = rs.getString(2);
      }
    }
    boolean semiSync = "ON".equalsIgnoreCase(status);
    return new SyncGuarantee(
        false,
        semiSync ? "semi-sync" : "none",
        "Rpl_semi_sync_master_status="
            + status
            + "; semi-sync acknowledges receipt by a replica, not apply, so reads still wait for"
            + " the token");
  }
}
