package dev.cohort.jdbc.internal;

import dev.cohort.jdbc.Database;
import dev.cohort.jdbc.SchemaLockTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.zip.CRC32;

/**
 * A transaction-scoped advisory lock ({@code pg_advisory_xact_lock}) around one transaction that
 * holds the whole migration: PostgreSQL's DDL is transactional, so a failed version leaves nothing
 * behind, and the lock cannot outlive a crashed migrator.
 */
final class PostgresSchemaLock implements SchemaLock {
  /** The first of the two advisory-lock keys: Cohort's (the second is the schema's). */
  static final int COHORT_LOCK_CLASS = 7318200;

  private static final String LOCK_NOT_AVAILABLE = "55P03";

  private final String component;
  private final int key;
  private final String lockName;
  private final Duration timeout;

  PostgresSchemaLock(String component, String lockName, Duration timeout) {
    this.component = component;
    this.lockName = lockName;
    CRC32 crc = new CRC32();
    crc.update(lockName.getBytes(StandardCharsets.UTF_8));
    // pg_locks shows the keys as oids (unsigned); a non-negative key reads the same in both.
    this.key = (int) (crc.getValue() & 0x7fffffff);
    this.timeout = timeout;
  }

  @Override
  public <T> T holding(Connection c, Locked<T> work) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (Statement s = c.createStatement()) {
        s.execute("SET LOCAL lock_timeout = '" + Math.max(1, timeout.toMillis()) + "ms'");
      }
      try (PreparedStatement p = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
        p.setInt(1, COHORT_LOCK_CLASS);
        p.setInt(2, key);
        p.executeQuery().close();
      } catch (SQLException e) {
        if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
          c.rollback();
          throw new SchemaLockTimeoutException(
              "waited "
                  + timeout
                  + " for the migration lock of schema '"
                  + component
                  + "' (PostgreSQL advisory lock "
                  + COHORT_LOCK_CLASS
                  + "/"
                  + key
                  + " for "
                  + lockName
                  + "); it is held by "
                  + holder(c)
                  + ". Another process is migrating this schema: let it finish, or end that session"
                  + " with pg_terminate_backend(pid) if it is stuck",
              component,
              Database.POSTGRESQL,
              e);
        }
        throw e;
      }
      T result = work.run();
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException r) {
        e.addSuppressed(r);
      }
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  private String holder(Connection c) {
    String sql =
        "SELECT a.pid, a.usename, a.application_name, a.client_addr, a.xact_start"
            + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            + " WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = ?"
            + " AND l.objid::bigint = ? AND l.objsubid = 2"
            + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())";
    try (PreparedStatement p = c.prepareStatement(sql)) {
      p.setLong(1, COHORT_LOCK_CLASS);
      p.setLong(2, key);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          return "a session that has released it since (try again)";
        }
        return "pid "
            + rs.getInt(1)
            + " (user "
            + rs.getString(2)
            + ", application '"
            + rs.getString(3)
            + "', client "
            + rs.getString(4)
            + ", transaction started "
            + rs.getString(5)
            + ")";
      }
    } catch (SQLException e) {
      return "a session this user may not see (pg_stat_activity: " + e.getMessage() + ")";
    } finally {
      try {
        c.rollback();
      } catch (SQLException e) {
        // The lock timeout is what the caller must hear about.
      }
    }
  }
}
