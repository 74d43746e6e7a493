package dev.cohort.replica.internal;

import dev.cohort.replica.DatabaseKind;
import dev.cohort.replica.Position;
import dev.cohort.replica.SyncGuarantee;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/** The database-specific statements Cohort needs. One implementation per {@link DatabaseKind}. */
public interface Dialect {
  DatabaseKind kind();

  /** Tells reads from writes under this database's quoting rules. */
  SqlClassifier classifier();

  /** What the poller learns from one node in one round trip. */
  record Probe(boolean writable, Position position) {}

  Probe probe(Connection c, int timeoutSeconds) throws SQLException;

  /** The primary's current position (covers every commit so far, including other sessions'). */
  Position currentPosition(Connection c) throws SQLException;

  /** Waits on a replica connection until it has applied {@code position}; false on timeout. */
  boolean awaitApplied(Connection c, Position position, Duration timeout) throws SQLException;

  /** Makes the session's commits wait for a standby to apply them, where the database can. */
  void enterCritical(Connection c) throws SQLException;

  void exitCritical(Connection c) throws SQLException;

  SyncGuarantee guarantee(Connection c) throws SQLException;

  static Dialect of(DatabaseKind kind) {
    return switch (kind) {
      case POSTGRESQL -> new PostgresDialect();
      case MARIADB -> new MariaDbDialect();
    };
  }

  static DatabaseKind detect(Connection c) throws SQLException {
    String product = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
    if (product.contains("postgres")) {
      return DatabaseKind.POSTGRESQL;
    }
    if (product.contains("mariadb") || product.contains("mysql")) {
      return DatabaseKind.MARIADB;
    }
    throw new SQLException(
        "cohort-replica supports PostgreSQL and MariaDB; the primary says it is '"
            + c.getMetaData().getDatabaseProductName()
            + "'");
  }
}
