package dev.cohort.store.jdbc.internal;

import dev.cohort.coordinator.spi.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;

/**
 * Creates the log's tables or brings them to the current version. Each version is applied once and
 * recorded in {@code cohort_schema_version}; engines starting together serialise on a database
 * lock, so only one applies a version.
 */
public final class Migrations {
  /** The version this build writes; a log with a higher one was written by a newer Cohort. */
  public static final int CURRENT = 1;

  private final Dialect dialect;
  private final Clock clock;

  public Migrations(Dialect dialect, Clock clock) {
    this.dialect = dialect;
    this.clock = clock;
  }

  private List<String> version1() {
    String text = dialect.textType();
    return List.of(
        "CREATE TABLE cohort_global ("
            + "gid VARCHAR(128) NOT NULL PRIMARY KEY,"
            + " mode VARCHAR(16) NOT NULL,"
            + " status VARCHAR(24) NOT NULL,"
            + " resume_status VARCHAR(24),"
            + " parallel_tries SMALLINT NOT NULL,"
            + " deadline_at BIGINT NOT NULL,"
            + " next_attempt_at BIGINT NOT NULL,"
            + " attempts INT NOT NULL,"
            + " phase_started_at BIGINT,"
            + " lease_owner VARCHAR(128) NOT NULL,"
            + " lease_until BIGINT NOT NULL,"
            + " reason "
            + text
            + ","
            + " created_at BIGINT NOT NULL,"
            + " updated_at BIGINT NOT NULL)",
        // The claim query looks for unfinished transactions whose next attempt is due.
        "CREATE INDEX cohort_global_due ON cohort_global (status, next_attempt_at)",
        "CREATE TABLE cohort_branch ("
            + "gid VARCHAR(128) NOT NULL,"
            + " branch_id VARCHAR(128) NOT NULL,"
            + " seq INT NOT NULL,"
            + " participant VARCHAR(128) NOT NULL,"
            + " payload "
            + text
            + ","
            + " forward_recovery SMALLINT NOT NULL,"
            + " status VARCHAR(24) NOT NULL,"
            + " attempts INT NOT NULL,"
            + " last_error "
            + text
            + ","
            + " PRIMARY KEY (gid, branch_id))");
  }

  public void migrate(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS cohort_schema_version ("
              + "version INT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)");
    }
    lock(c);
    try {
      int current = currentVersion(c);
      if (current > CURRENT) {
        throw new StoreException(
            "the log's schema is at version "
                + current
                + " but this Cohort knows versions up to "
                + CURRENT
                + "; run a Cohort at least as new as the one that wrote the log",
            null);
      }
      if (current < 1) {
        apply(c, 1, version1());
      }
    } finally {
      unlock(c);
    }
  }

  private int currentVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAX(version) FROM cohort_schema_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private void apply(Connection c, int version, List<String> statements) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    // PostgreSQL and SQLite run DDL inside a transaction; MariaDB commits each DDL statement.
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
      try (PreparedStatement p =
          c.prepareStatement(
              "INSERT INTO cohort_schema_version (version, applied_at) VALUES (?, ?)")) {
        p.setInt(1, version);
        p.setLong(2, clock.millis());
        p.executeUpdate();
      }
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  private void lock(Connection c) throws SQLException {
    String sql =
        switch (dialect.database()) {
          case POSTGRES -> "SELECT pg_advisory_lock(7318200)";
          case MARIADB -> "SELECT GET_LOCK('cohort_schema', 60)";
          case SQLITE -> null;
        };
    if (sql != null) {
      try (Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }
  }

  private void unlock(Connection c) throws SQLException {
    String sql =
        switch (dialect.database()) {
          case POSTGRES -> "SELECT pg_advisory_unlock(7318200)";
          case MARIADB -> "SELECT RELEASE_LOCK('cohort_schema')";
          case SQLITE -> null;
        };
    if (sql != null) {
      try (Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }
  }
}
