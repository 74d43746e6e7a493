package dev.cohort.jdbc.internal;

import dev.cohort.jdbc.Database;
import dev.cohort.jdbc.SchemaLockTimeoutException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * {@code BEGIN IMMEDIATE}: takes the database file's write lock up front, so two migrators never
 * both read "version 0" and then race to write. The wait is SQLite's busy timeout, set to the lock
 * timeout for the duration and then restored.
 */
final class SqliteSchemaLock implements SchemaLock {
  private static final int SQLITE_BUSY = 5;

  private final String component;
  private final Duration timeout;

  SqliteSchemaLock(String component, Duration timeout) {
    this.component = component;
    this.timeout = timeout;
  }

  @Override
  public <T> T holding(Connection c, Locked<T> work) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    // The driver's own transaction would begin DEFERRED; this one is begun by hand.
    c.setAutoCommit(true);
    int busyTimeout = busyTimeout(c);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = " + Math.max(1, timeout.toMillis()));
      try {
        s.execute("BEGIN IMMEDIATE");
      } catch (SQLException e) {
        if ((e.getErrorCode() & 0xff) == SQLITE_BUSY) {
          throw new SchemaLockTimeoutException(
              "waited "
                  + timeout
                  + " for SQLite's write lock to migrate schema '"
                  + component
                  + "' on "
                  + c.getMetaData().getURL()
                  + "; another process has the file open in a write transaction: let it finish or"
                  + " stop it",
              component,
              Database.SQLITE,
              e);
        }
        throw e;
      }
      T result;
      try {
        result = work.run();
        s.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        try {
          s.execute("ROLLBACK");
        } catch (SQLException r) {
          e.addSuppressed(r);
        }
        throw e;
      }
      return result;
    } finally {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = " + busyTimeout);
      }
      c.setAutoCommit(autoCommit);
    }
  }

  private static int busyTimeout(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA busy_timeout")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }
}
