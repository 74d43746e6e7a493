package dev.cohort.jdbc.internal;

import dev.cohort.jdbc.Database;
import dev.cohort.jdbc.SchemaException;
import dev.cohort.jdbc.SchemaLockTimeoutException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A named lock ({@code GET_LOCK}) held by the connection while the versions are applied. MariaDB
 * commits each DDL statement on its own, so a transaction could not hold the migration together.
 * {@code GET_LOCK}'s answer is checked: 1 acquired, 0 timed out, NULL failed.
 */
final class MariaDbSchemaLock implements SchemaLock {
  private final String component;
  private final String lockName;
  private final Duration timeout;

  MariaDbSchemaLock(String component, String lockName, Duration timeout) {
    this.component = component;
    this.lockName = lockName;
    this.timeout = timeout;
  }

  @Override
  public <T> T holding(Connection c, Locked<T> work) throws SQLException {
    acquire(c);
    try {
      return work.run();
    } finally {
      try (PreparedStatement p = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
        p.setString(1, lockName);
        p.executeQuery().close();
      }
    }
  }

  private void acquire(Connection c) throws SQLException {
    Integer answer;
    try (PreparedStatement p = c.prepareStatement("SELECT GET_LOCK(?, ?)")) {
      p.setString(1, lockName);
      // MariaDB takes fractions of a second.
      p.setDouble(2, Math.max(0.001, timeout.toMillis() / 1000.0));
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        int value = rs.getInt(1);
        answer = rs.wasNull() ? null : value;
      }
    }
    if (answer == null) {
      throw new SchemaException(
          "GET_LOCK('"
              + lockName
              + "') answered NULL for schema '"
              + component
              + "': MariaDB failed to take the migration lock (out of memory, or the session was"
              + " killed); nothing was migrated, start again",
          component,
          Database.MARIADB,
          null);
    }
    if (answer == 0) {
      throw new SchemaLockTimeoutException(
          "waited "
              + timeout
              + " for the migration lock of schema '"
              + component
              + "' (MariaDB GET_LOCK('"
              + lockName
              + "')); it is held by "
              + holder(c)
              + ". Another process is migrating this schema: let it finish, or end that connection"
              + " with KILL <id> if it is stuck",
          component,
          Database.MARIADB,
          null);
    }
  }

  private String holder(Connection c) {
    try {
      long id;
      try (PreparedStatement p = c.prepareStatement("SELECT IS_USED_LOCK(?)")) {
        p.setString(1, lockName);
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          id = rs.getLong(1);
          if (rs.wasNull()) {
            return "a connection that has released it since (try again)";
          }
        }
      }
      try (PreparedStatement p =
          c.prepareStatement(
              "SELECT USER, HOST, DB, TIME FROM information_schema.PROCESSLIST WHERE ID = ?")) {
        p.setLong(1, id);
        try (ResultSet rs = p.executeQuery()) {
          if (!rs.next()) {
            return "connection id " + id;
          }
          return "connection id "
              + id
              + " (user "
              + rs.getString(1)
              + ", host "
              + rs.getString(2)
              + ", database "
              + rs.getString(3)
              + ", "
              + rs.getLong(4)
              + " s in its current state)";
        }
      }
    } catch (SQLException e) {
      return "a connection this user may not see (" + e.getMessage() + ")";
    }
  }
}
