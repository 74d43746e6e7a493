package dev.cohort.replica.internal;

import dev.cohort.jdbc.Database;
import dev.cohort.replica.Position;
import dev.cohort.replica.SyncGuarantee;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The database-specific statements Cohort needs: one implementation per {@link Database} that
 * replicates (PostgreSQL, MariaDB).
 */
public interface Dialect {
  Database database();

  /** The tag of this database's {@link Position} kind in a consistency token. */
  String positionTag();

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

  /**
   * Makes the transaction about to start on {@code c} read one snapshot (REPEATABLE READ), before
   * its first statement. PostgreSQL's default READ COMMITTED takes a snapshot per statement, so the
   * second read of a read-only transaction could see a commit the first did not (the credit of a
   * transfer without its debit); MariaDB's default is REPEATABLE READ, but a pool may be set lower.
   * PostgreSQL takes the statement as the first command of the transaction (the driver has begun
   * it), MariaDB as the characteristic of the next transaction; neither outlives it.
   */
  default void holdOneSnapshot(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    }
  }

  /** The databases whose replication cohort-replica follows, for messages. */
  String SUPPORTED = "PostgreSQL or MariaDB (Database.POSTGRESQL, Database.MARIADB)";

  static Dialect of(Database database) {
    return switch (requireReplicated(database)) {
      case POSTGRESQL -> new PostgresDialect();
      case MARIADB -> new MariaDbDialect();
      case SQLITE -> throw notReplicated(database);
    };
  }

  /** {@code database}, or a clear refusal when it is not a replica cluster's database. */
  static Database requireReplicated(Database database) {
    if (database == Database.SQLITE) {
      throw notReplicated(database);
    }
    return database;
  }

  private static IllegalArgumentException notReplicated(Database database) {
    return new IllegalArgumentException(
        "cohort-replica routes over a primary and its replicas on "
            + SUPPORTED
            + "; "
            + database
            + " has no replicas, so it cannot be the database of a replica cluster");
  }

  /**
   * The database of the primary behind {@code c}; refuses one that is not {@link #SUPPORTED},
   * naming what the primary says it is.
   */
  static Database detect(Connection c) throws SQLException {
    String product = c.getMetaData().getDatabaseProductName();
    Database database;
    try {
      database = Database.fromProductName(product);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cohort-replica supports " + SUPPORTED + "; the primary says it is '" + product + "'", e);
    }
    return requireReplicated(database);
  }
}
