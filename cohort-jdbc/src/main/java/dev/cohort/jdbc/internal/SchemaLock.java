package dev.cohort.jdbc.internal;

import dev.cohort.jdbc.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Serialises migrations of one schema across processes with the database's own lock, so that of two
 * engines starting together exactly one applies each version.
 */
public interface SchemaLock {
  /** Work done while holding the lock, on the same connection. */
  @FunctionalInterface
  interface Locked<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work} holding the lock; throws {@link dev.cohort.jdbc.SchemaLockTimeoutException}
   * naming the holder when the lock is not free within the timeout.
   */
  <T> T holding(Connection c, Locked<T> work) throws SQLException;

  /** The lock's name for a history table; MariaDB's are server-wide and at most 64 characters. */
  static String nameFor(String historyTable) {
    String name = "cohort_schema:" + historyTable;
    return name.length() <= 64
        ? name
        : name.substring(0, 55) + ":" + Integer.toHexString(name.hashCode());
  }

  static SchemaLock of(Database database, String component, String lockName, Duration timeout) {
    return switch (database) {
      case POSTGRESQL -> new PostgresSchemaLock(component, lockName, timeout);
      case MARIADB -> new MariaDbSchemaLock(component, lockName, timeout);
      case SQLITE -> new SqliteSchemaLock(component, timeout);
    };
  }
}
