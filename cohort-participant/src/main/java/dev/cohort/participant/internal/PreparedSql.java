package dev.cohort.participant.internal;

import dev.cohort.jdbc.Database;
import dev.cohort.jdbc.Schema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of a prepared local branch on one database: PostgreSQL's {@code PREPARE TRANSACTION} /
 * {@code COMMIT PREPARED} / {@code pg_prepared_xacts}, MariaDB's {@code XA
 * START/END/PREPARE/COMMIT} / {@code XA RECOVER}. The transaction id is made from the gid and
 * branch id alone, so any process of the participant finds the branch again after a crash.
 */
public final class PreparedSql {
  /** PostgreSQL: the prefix of our transaction ids; '|' never occurs in a gid or branch id. */
  static final String PG_PREFIX = "cohort|";

  /** MariaDB: the XA format id of Cohort's branches ("Coh"), so others' XIDs are left alone. */
  static final int MARIADB_FORMAT = 0x436F68;

  private static final int PG_MAX_XID = 200;
  private static final int MARIADB_MAX_PART = 64;

  private final Database database;
  private final String table;

  public PreparedSql(Database database, String table) {
    if (database != Database.POSTGRESQL && database != Database.MARIADB) {
      throw new IllegalArgumentException(
          "prepared branches need PostgreSQL (PREPARE TRANSACTION) or MariaDB (XA PREPARE); "
              + database.id()
              + " has no prepared transactions");
    }
    this.database = database;
    this.table = BarrierSql.validTable(table);
  }

  public static Schema schema(String table) {
    return Schema.builder("prepared", PreparedSql.class)
        .historyTable(table + "_version")
        .version("create_prepared_table")
        .version("create_three_phase_table")
        .placeholder("table", table)
        .build();
  }

  public Database database() {
    return database;
  }

  public String table() {
    return table;
  }

  /** Refuses ids the database cannot name a prepared transaction with. */
  public void checkIds(String gid, String branchId) {
    if (database == Database.POSTGRESQL) {
      int length = PG_PREFIX.length() + gid.length() + 1 + branchId.length();
      if (length > PG_MAX_XID) {
        throw new IllegalArgumentException(
            "PostgreSQL names a prepared transaction with at most "
                + PG_MAX_XID
                + " characters; gid and branch id together have "
                + (gid.length() + branchId.length())
                + ", keep them under "
                + (PG_MAX_XID - PG_PREFIX.length() - 1));
      }
    } else if (gid.length() > MARIADB_MAX_PART || branchId.length() > MARIADB_MAX_PART) {
      throw new IllegalArgumentException(
          "MariaDB XA takes a gid and a branch id of at most "
              + MARIADB_MAX_PART
              + " bytes each; had "
              + gid.length()
              + " and "
              + branchId.length());
    }
  }

  /** The literal naming the branch's transaction in SQL (ids are [A-Za-z0-9._:-] only). */
  String xid(String gid, String branchId) {
    return database == Database.POSTGRESQL
        ? "'" + PG_PREFIX + gid + "|" + branchId + "'"
        : "'" + gid + "','" + branchId + "'," + MARIADB_FORMAT;
  }

  /** Starts the local transaction the branch's work runs in. */
  public void begin(Connection c, String gid, String branchId) throws SQLException {
    if (database == Database.POSTGRESQL) {
      c.setAutoCommit(false);
    } else {
      c.setAutoCommit(true);
      exec(c, "XA START " + xid(gid, branchId));
    }
  }

  /** Ends the work and prepares it; the connection is free again afterwards. */
  public void prepare(Connection c, String gid, String branchId) throws SQLException {
    if (database == Database.POSTGRESQL) {
      exec(c, "PREPARE TRANSACTION " + xid(gid, branchId));
      c.setAutoCommit(true);
    } else {
      exec(c, "XA END " + xid(gid, branchId));
      exec(c, "XA PREPARE " + xid(gid, branchId));
    }
  }

  /** Throws the work away before it was prepared. */
  public void abandon(Connection c, String gid, String branchId) {
    try {
      if (database == Database.POSTGRESQL) {
        c.rollback();
        c.setAutoCommit(true);
      } else {
        try {
          exec(c, "XA END " + xid(gid, branchId));
        } catch (SQLException alreadyEnded) {
          // XA END fails when the transaction already left the active state; rollback still works.
        }
        exec(c, "XA ROLLBACK " + xid(gid, branchId));
      }
    } catch (SQLException e) {
      // The connection goes back to the pool broken or not; the branch was never prepared.
    }
  }

  public void commitPrepared(Connection c, String gid, String branchId) throws SQLException {
    exec(
        c,
        (database == Database.POSTGRESQL ? "COMMIT PREPARED " : "XA COMMIT ") + xid(gid, branchId));
  }

  public void rollbackPrepared(Connection c, String gid, String branchId) throws SQLException {
    exec(
        c,
        (database == Database.POSTGRESQL ? "ROLLBACK PREPARED " : "XA ROLLBACK ")
            + xid(gid, branchId));
  }

  /** Cohort's prepared branches in this database, as (gid, branch id). */
  public List<String[]> listPrepared(Connection c) throws SQLException {
    List<String[]> out = new ArrayList<>();
    if (database == Database.POSTGRESQL) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT gid FROM pg_prepared_xacts WHERE database = current_database()"
                  + " AND gid LIKE 'cohort|%'")) {
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String[] parts = rs.getString(1).substring(PG_PREFIX.length()).split("\\|", 2);
            if (parts.length == 2) {
              out.add(parts);
            }
          }
        }
      }
    } else {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("XA RECOVER")) {
        while (rs.next()) {
          if (rs.getInt("formatID") != MARIADB_FORMAT) {
            continue;
          }
          int gtrid = rs.getInt("gtrid_length");
          String data = rs.getString("data");
          out.add(new String[] {data.substring(0, gtrid), data.substring(gtrid)});
        }
      }
    }
    return out;
  }

  public boolean isPrepared(Connection c, String gid, String branchId) throws SQLException {
    for (String[] p : listPrepared(c)) {
      if (p[0].equals(gid) && p[1].equals(branchId)) {
        return true;
      }
    }
    return false;
  }

  /** Inserts the branch's outcome row; false when it already has one. */
  public boolean insertOutcome(Connection c, String gid, String branchId, String outcome, long now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + table
                + " (gid, branch_id, outcome, decided_at) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, gid);
      ps.setString(2, branchId);
      ps.setString(3, outcome);
      ps.setLong(4, now);
      ps.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (isDuplicate(e)) {
        return false;
      }
      throw e;
    }
  }

  public Optional<String> outcome(Connection c, String gid, String branchId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT outcome FROM " + table + " WHERE gid = ? AND branch_id = ?")) {
      ps.setString(1, gid);
      ps.setString(2, branchId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /**
   * Bounds how long this connection's statements wait for a row lock: an outcome row a prepared
   * transaction inserted stays locked until that transaction is decided.
   */
  public void lockTimeout(Connection c, long millis) throws SQLException {
    if (database == Database.POSTGRESQL) {
      exec(c, "SET lock_timeout = " + millis);
    } else {
      exec(c, "SET SESSION innodb_lock_wait_timeout = " + Math.max(1, millis / 1000));
    }
  }

  /** Gives the pooled connection its usual lock wait back. */
  public void resetLockTimeout(Connection c) throws SQLException {
    exec(
        c,
        database == Database.POSTGRESQL
            ? "RESET lock_timeout"
            : "SET SESSION innodb_lock_wait_timeout = DEFAULT");
  }

  private static boolean isDuplicate(SQLException e) {
    String state = e.getSQLState();
    return "23505".equals(state) || e.getErrorCode() == 1062 || "23000".equals(state);
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
