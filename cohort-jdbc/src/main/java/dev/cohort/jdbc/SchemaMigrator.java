package dev.cohort.jdbc;

import dev.cohort.jdbc.internal.History;
import dev.cohort.jdbc.internal.SchemaLock;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Applies a {@link Schema}'s versions to a database, checks that they were applied, or prints them
 * as plain SQL. Cohort's own small runner rather than Flyway or Liquibase: participant services
 * install the barrier next to their own tables and often their own Flyway, which must not see a
 * second Flyway history or a second copy of the library (see docs/schema.md).
 *
 * <p>{@link #migrate} holds a database lock while it reads the history and applies what is missing,
 * so processes starting together apply each version exactly once: PostgreSQL a transaction-scoped
 * advisory lock around one transaction, MariaDB {@code GET_LOCK} (its answer checked), SQLite
 * {@code BEGIN IMMEDIATE}.
 */
public final class SchemaMigrator {
  /** How long {@link #migrate} waits for another process's migration by default. */
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);

  private final Schema schema;
  private final Clock clock;
  private final Duration lockTimeout;
  private final History history;

  private SchemaMigrator(Builder b) {
    this.schema = b.schema;
    this.clock = b.clock;
    this.lockTimeout = b.lockTimeout;
    this.history = new History(schema.historyTable());
  }

  public static SchemaMigrator of(Schema schema) {
    return builder(schema).build();
  }

  public static Builder builder(Schema schema) {
    return new Builder(schema);
  }

  public Schema schema() {
    return schema;
  }

  /** {@link #migrate(Connection, Database)} with the database detected from the connection. */
  public MigrationResult migrate(Connection c) throws SQLException {
    return migrate(c, Database.of(c));
  }

  /**
   * Creates the schema's tables or brings them to the latest version. Tables made before the
   * history table existed (the schema's pre-history table is there, no version recorded) are
   * recorded as version 1 rather than created again.
   *
   * @throws SchemaLockTimeoutException another process held the migration lock too long
   * @throws SchemaException the database records a version newer than this Cohort knows
   */
  public MigrationResult migrate(Connection c, Database database) throws SQLException {
    return migrate(c, database, (connection, db) -> {});
  }

  /**
   * Work done under the migration lock once the versions are applied: a part of the schema that is
   * optional (text indexes a deployment may not want), kept by idempotent statements rather than a
   * version, so processes starting together do not race on it.
   */
  @FunctionalInterface
  public interface LockedStep {
    /** Runs on the migration's connection, holding its lock. */
    void run(Connection c, Database database) throws SQLException;
  }

  /**
   * {@link #migrate(Connection, Database)}, then {@code then} while still holding the lock.
   *
   * @throws SchemaLockTimeoutException another process held the migration lock too long
   */
  public MigrationResult migrate(Connection c, Database database, LockedStep then)
      throws SQLException {
    Objects.requireNonNull(then, "then");
    SchemaLock lock =
        SchemaLock.of(
            database, schema.component(), SchemaLock.nameFor(schema.historyTable()), lockTimeout);
    return lock.holding(
        c,
        () -> {
          MigrationResult r = applyMissing(c, database);
          then.run(c, database);
          return r;
        });
  }

  private MigrationResult applyMissing(Connection c, Database database) throws SQLException {
    history.create(c);
    int from = history.current(c);
    int current = from;
    boolean adopted = false;
    if (current == 0
        && schema.preHistoryTable() != null
        && History.tableExists(c, schema.preHistoryTable())) {
      history.record(c, 1, clock.millis());
      current = 1;
      adopted = true;
    }
    requireNotNewer(current, database);
    for (Schema.Migration m : schema.migrations(database)) {
      if (m.version() <= current) {
        continue;
      }
      try (Statement s = c.createStatement()) {
        for (String sql : m.statements()) {
          s.execute(sql);
        }
      } catch (SQLException e) {
        throw new SchemaException(
            "version "
                + m.version()
                + " ("
                + m.resource()
                + ") of schema '"
                + schema.component()
                + "' failed on "
                + database
                + ": "
                + e.getMessage()
                + (database == Database.MARIADB
                    ? "; MariaDB commits DDL statement by statement, so drop what this version"
                        + " created before starting again"
                    : "; nothing of this version was kept"),
            schema.component(),
            database,
            e);
      }
      history.record(c, m.version(), clock.millis());
      current = m.version();
    }
    return new MigrationResult(schema.component(), database, from, current, adopted);
  }

  /**
   * Checks, without changing anything, that the history records the latest version; for {@link
   * SchemaMode#VERIFY}. Returns that version.
   *
   * @throws SchemaException the schema is missing, behind, or newer than this Cohort knows
   */
  public int verify(Connection c, Database database) throws SQLException {
    int current = history.current(c);
    requireNotNewer(current, database);
    if (current < schema.latestVersion()) {
      throw new SchemaException(
          "schema '"
              + schema.component()
              + "' on "
              + database
              + " is at version "
              + current
              + " (history table "
              + schema.historyTable()
              + ") but this Cohort needs version "
              + schema.latestVersion()
              + ". Apply the scripts printed by `cohort schema --database "
              + database.id()
              + " --component "
              + schema.component()
              + "` with your migration tool, or let Cohort migrate (SchemaMode.MIGRATE)",
          schema.component(),
          database,
          null);
    }
    return current;
  }

  /** The highest version recorded in the history; 0 when there is none. */
  public int currentVersion(Connection c) throws SQLException {
    return history.current(c);
  }

  /**
   * Every version's script for {@code database} as one plain SQL text, followed by the history
   * table and its rows, so that a schema applied with another tool passes {@link #verify}.
   */
  public String export(Database database) {
    StringBuilder out = new StringBuilder();
    out.append("-- Cohort schema '")
        .append(schema.component())
        .append("' for ")
        .append(database.id())
        .append(", versions 1..")
        .append(schema.latestVersion())
        .append(".\n-- The last statements record the versions in ")
        .append(schema.historyTable())
        .append(", which Cohort checks when it only verifies the schema.\n\n");
    for (Schema.Migration m : schema.migrations(database)) {
      out.append("-- V").append(m.version()).append(": ").append(m.description()).append('\n');
      for (String sql : m.statements()) {
        out.append(sql).append(";\n\n");
      }
    }
    out.append("-- History\n");
    for (String sql : historyStatements()) {
      out.append(sql).append(";\n");
    }
    return out.toString();
  }

  /** The statements of {@link #export}, one by one, for a tool that runs a list of statements. */
  public List<String> exportStatements(Database database) {
    List<String> statements = new ArrayList<>();
    for (Schema.Migration m : schema.migrations(database)) {
      statements.addAll(m.statements());
    }
    statements.addAll(historyStatements());
    return statements;
  }

  private List<String> historyStatements() {
    List<String> statements = new ArrayList<>();
    statements.add(history.createSql());
    long now = clock.millis();
    for (int v = 1; v <= schema.latestVersion(); v++) {
      statements.add(history.recordSql(v, now));
    }
    return statements;
  }

  private void requireNotNewer(int current, Database database) {
    if (current > schema.latestVersion()) {
      throw new SchemaException(
          "schema '"
              + schema.component()
              + "' on "
              + database
              + " is at version "
              + current
              + " but this Cohort knows versions up to "
              + schema.latestVersion()
              + "; run a Cohort at least as new as the one that wrote it",
          schema.component(),
          database,
          null);
    }
  }

  /** Settings of a {@link SchemaMigrator}. */
  public static final class Builder {
    private final Schema schema;
    private Clock clock = Clock.systemUTC();
    private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;

    private Builder(Schema schema) {
      this.schema = Objects.requireNonNull(schema, "schema");
    }

    /** Stamps {@code applied_at} in the history. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** How long to wait for another process's migration, default 60 s. */
    public Builder lockTimeout(Duration value) {
      Objects.requireNonNull(value, "lockTimeout");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            "lockTimeout must be positive but was " + value + "; e.g. Duration.ofSeconds(60)");
      }
      this.lockTimeout = value;
      return this;
    }

    public SchemaMigrator build() {
      return new SchemaMigrator(this);
    }
  }
}
