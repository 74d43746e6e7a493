package dev.cohort.participant;

import dev.cohort.jdbc.Database;
import dev.cohort.jdbc.MigrationResult;
import dev.cohort.jdbc.Schema;
import dev.cohort.jdbc.SchemaMigrator;
import dev.cohort.participant.internal.BarrierCore;
import dev.cohort.participant.internal.BarrierSchema;
import dev.cohort.participant.internal.BarrierSql;
import dev.cohort.protocol.Operation;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a TCC or Saga branch operation safe to deliver more than once and out of order. Each call
 * writes a row of the {@code cohort_barrier} table in the participant's own database, in the same
 * local transaction as the business change, and runs the business code only when it should:
 *
 * <pre>{@code
 * Barrier barrier = Barrier.forDataSource(dataSource);
 * barrier.createSchema();
 * BarrierResult r = barrier.run(gid, branchId, Operation.TRY, conn -> reserve(conn, order));
 * if (r == BarrierResult.REFUSED_AFTER_CANCEL) { ... answer "refused" ... }
 * }</pre>
 *
 * <p>Thread-safe; one instance per database is enough.
 */
public final class Barrier {
  /** Longest gid or branch id, in characters: the width of the key columns. */
  public static final int MAX_ID_LENGTH = 128;

  public static final String DEFAULT_TABLE = "cohort_barrier";

  /** How many times {@link #run} tries a local transaction that a concurrent one aborted. */
  public static final int DEFAULT_MAX_ATTEMPTS = 8;

  private static final Logger LOG = LoggerFactory.getLogger(Barrier.class);

  private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final DataSource dataSource;
  private final BarrierSql sql;
  private final BarrierCore core;
  private final Clock clock;
  private final int maxAttempts;
  private final AtomicLong conflictRetries = new AtomicLong();

  private Barrier(Builder b, Database database) {
    this.dataSource = b.dataSource;
    this.sql = new BarrierSql(database, b.table);
    this.clock = b.clock;
    this.core = new BarrierCore(sql, clock);
    this.maxAttempts = b.maxAttempts;
  }

  /** A barrier on the default table, its database detected from a connection. */
  public static Barrier forDataSource(DataSource dataSource) {
    return builder(dataSource).build();
  }

  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** The database the barrier table lives in. */
  public Database database() {
    return sql.database();
  }

  public String table() {
    return sql.table();
  }

  /**
   * How many local transactions {@link #run} has run again because the database aborted them for a
   * concurrent one (deadlock victim, serialization failure). A health figure, not an error count.
   */
  public long conflictRetries() {
    return conflictRetries.get();
  }

  /**
   * Creates the barrier table or migrates it to the current version, under a database lock so that
   * instances starting together do it once. Safe to call on every start. A barrier table made by an
   * earlier build (before the history table {@code <table>_version}) is recorded as version 1.
   *
   * @throws dev.cohort.jdbc.SchemaException the migration failed or another instance held its lock
   *     too long (the message names it)
   */
  public void createSchema() {
    try (Connection c = dataSource.getConnection()) {
      MigrationResult r =
          SchemaMigrator.builder(schema()).clock(clock).build().migrate(c, sql.database());
      if (r.changed()) {
        LOG.info(
            "barrier table {} on {}: schema version {} -> {}{}",
            sql.table(),
            sql.database(),
            r.fromVersion(),
            r.toVersion(),
            r.adoptedPreHistory() ? " (existing table recorded as version 1)" : "");
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not create the barrier table " + sql.table() + " (" + sql.database() + ")", e);
    }
  }

  /**
   * Checks, without changing anything, that the barrier table is at the current version: for
   * services whose own migration tool applies the barrier's scripts ({@link #schemaStatements()},
   * or {@code cohort schema --component barrier}) instead of calling {@link #createSchema()}.
   *
   * @throws dev.cohort.jdbc.SchemaException the table is missing or at another version
   */
  public void verifySchema() {
    try (Connection c = dataSource.getConnection()) {
      SchemaMigrator.of(schema()).verify(c, sql.database());
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not read the schema version of barrier table "
              + sql.table()
              + " ("
              + sql.database()
              + ")",
          e);
    }
  }

  /** This barrier's table as a versioned schema. */
  public Schema schema() {
    return schema(sql.table());
  }

  /** The versioned schema of a barrier table named {@code table}; for tools exporting the DDL. */
  public static Schema schema(String table) {
    return BarrierSchema.schema(BarrierSql.validTable(table));
  }

  /**
   * Every statement of every version for this barrier's database, history table included: for a
   * migration tool of your own, after which {@link #verifySchema()} passes.
   */
  public List<String> schemaStatements() {
    return SchemaMigrator.of(schema()).exportStatements(sql.database());
  }

  /**
   * Runs {@code work} in a new local transaction guarded by the barrier and commits. A transaction
   * the database aborts for a concurrent one is run again (up to the configured attempts); the
   * business code may therefore run more than once, but commits at most once.
   *
   * @return what happened; only {@link BarrierResult#APPLIED} ran {@code work}
   * @throws E whatever {@code work} threw; the transaction was rolled back and no barrier row kept,
   *     so a later call can apply it
   * @throws BarrierConflictException the attempts ran out; calling again is safe
   * @throws BarrierException the database failed the barrier's own SQL
   */
  public <E extends Exception> BarrierResult run(
      String gid, String branchId, Operation op, BarrierWork<E> work) throws E {
    validate(gid, branchId, op, work);
    for (int attempt = 1; ; attempt++) {
      Attempt<E> a = new Attempt<>(gid, branchId, op, work);
      BarrierResult result = a.run();
      if (result != null) {
        return result;
      }
      if (attempt >= maxAttempts) {
        throw new BarrierConflictException(
            "the database kept aborting the barrier's transaction for concurrent ones",
            gid,
            branchId,
            op,
            attempt,
            a.conflict);
      }
      conflictRetries.incrementAndGet();
      backOff(attempt, gid, branchId, op, a.conflict);
    }
  }

  /**
   * Runs {@code work} guarded by the barrier inside the caller's transaction on {@code connection}
   * (auto-commit off); the caller commits. If {@code work} throws, the barrier row and the work's
   * changes are rolled back to a savepoint and the exception propagates.
   *
   * @throws BarrierConflictException the database aborted the transaction for a concurrent one;
   *     roll the whole transaction back and call again
   */
  public <E extends Exception> BarrierResult runIn(
      Connection connection, String gid, String branchId, Operation op, BarrierWork<E> work)
      throws E {
    validate(gid, branchId, op, work);
    Objects.requireNonNull(connection, "connection must not be null; pass the one in transaction");
    Savepoint savepoint;
    try {
      if (connection.getAutoCommit()) {
        throw new IllegalArgumentException(
            "runIn needs a connection inside a transaction, but auto-commit is on: call"
                + " connection.setAutoCommit(false) first, or use run(...) to let the barrier own"
                + " the transaction");
      }
      savepoint = connection.setSavepoint();
    } catch (SQLException e) {
      throw failure("could not set a savepoint on the caller's connection", gid, branchId, op, e);
    }
    BarrierResult result;
    try {
      result = core.enter(connection, gid, branchId, op);
    } catch (SQLException e) {
      rollbackTo(connection, savepoint, e);
      throw failure("the barrier's insert failed", gid, branchId, op, e);
    }
    if (result.applied()) {
      try {
        work.apply(connection);
      } catch (Exception | Error e) {
        rollbackTo(connection, savepoint, e);
        if (e instanceof Exception && sql.isConflict(e)) {
          throw new BarrierConflictException(
              "the database aborted the caller's transaction in the business code; roll it back",
              gid,
              branchId,
              op,
              1,
              e);
        }
        throw e;
      }
    }
    try {
      connection.releaseSavepoint(savepoint);
    } catch (SQLException e) {
      throw failure("could not release the barrier's savepoint", gid, branchId, op, e);
    }
    return result;
  }

  private BarrierException failure(
      String message, String gid, String branchId, Operation op, SQLException e) {
    if (sql.isConflict(e)) {
      return new BarrierConflictException(
          "the database aborted the caller's transaction for a concurrent one; roll it back",
          gid,
          branchId,
          op,
          1,
          e);
    }
    return new BarrierException(message + " on " + sql.database(), gid, branchId, op, e);
  }

  private static void rollbackTo(Connection connection, Savepoint savepoint, Throwable failure) {
    try {
      connection.rollback(savepoint);
    } catch (SQLException e) {
      // MariaDB rolls back the whole transaction on deadlock, savepoints included.
      failure.addSuppressed(e);
    }
  }

  private void backOff(int attempt, String gid, String branchId, Operation op, Throwable cause) {
    long cap = Math.min(MAX_BACKOFF_NANOS, TimeUnit.MILLISECONDS.toNanos(1L << attempt));
    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
    if (Thread.currentThread().isInterrupted()) {
      throw new BarrierConflictException(
          "interrupted while waiting to retry", gid, branchId, op, attempt, cause);
    }
  }

  static void validate(String gid, String branchId, Operation op, BarrierWork<?> work) {
    validateId("gid", gid, "the global transaction id the coordinator sent");
    validateId("branchId", branchId, "the branch id the coordinator sent with the gid");
    if (op == null) {
      throw new IllegalArgumentException(
          "op must not be null; pass the operation being served, e.g. Operation.CONFIRM");
    }
    if (work == null) {
      throw new IllegalArgumentException(
          "work must not be null; pass the business change, e.g. conn -> {}, when there is none");
    }
  }

  private static void validateId(String name, String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          name + " must not be " + (value == null ? "null" : "blank") + "; pass " + what);
    }
    if (value.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(
          name
              + " '"
              + value.substring(0, 20)
              + "...' is "
              + value.length()
              + " characters; the barrier stores at most "
              + MAX_ID_LENGTH
              + ". Use shorter ids (a UUID is 36)");
    }
    if (!value.strip().equals(value)) {
      throw new IllegalArgumentException(
          name
              + " '"
              + value
              + "' has leading or trailing whitespace, which some databases ignore in"
              + " comparisons; strip it");
    }
  }

  // Package-private hooks for BarrierPurger.
  DataSource dataSource() {
    return dataSource;
  }

  BarrierSql sql() {
    return sql;
  }

  Clock clock() {
    return clock;
  }

  /** One local transaction; {@code run()} returns null when a conflict aborted it. */
  private final class Attempt<E extends Exception> {
    private final String gid;
    private final String branchId;
    private final Operation op;
    private final BarrierWork<E> work;
    private Throwable conflict;

    Attempt(String gid, String branchId, Operation op, BarrierWork<E> work) {
      this.gid = gid;
      this.branchId = branchId;
      this.op = op;
      this.work = work;
    }

    BarrierResult run() throws E {
      Connection c;
      try {
        c = dataSource.getConnection();
      } catch (SQLException e) {
        throw new BarrierException(
            "could not get a connection from the DataSource", gid, branchId, op, e);
      }
      boolean restoreAutoCommit = false;
      try {
        try {
          if (c.getAutoCommit()) {
            c.setAutoCommit(false);
            restoreAutoCommit = true;
          }
        } catch (SQLException e) {
          throw new BarrierException("could not begin a transaction", gid, branchId, op, e);
        }
        BarrierResult result;
        try {
          result = core.enter(c, gid, branchId, op);
        } catch (SQLException e) {
          return abort(c, e, "the barrier's insert failed");
        }
        if (result.applied()) {
          try {
            work.apply(c);
          } catch (Exception | Error e) {
            rollback(c, e);
            if (e instanceof Exception && sql.isConflict(e)) {
              conflict = e; // the business SQL was the victim; the whole transaction is retried
              return null;
            }
            throw e;
          }
        }
        try {
          c.commit();
        } catch (SQLException e) {
          return abort(
              c,
              e,
              "commit failed; whether it happened is unknown, and calling again is safe (a"
                  + " committed call answers DUPLICATE_SKIPPED)");
        }
        return result;
      } finally {
        close(c, restoreAutoCommit);
      }
    }

    private BarrierResult abort(Connection c, SQLException e, String message) {
      rollback(c, e);
      if (sql.isConflict(e)) {
        conflict = e;
        return null;
      }
      throw new BarrierException(message + " on " + sql.database(), gid, branchId, op, e);
    }

    private void rollback(Connection c, Throwable failure) {
      try {
        c.rollback();
      } catch (SQLException e) {
        failure.addSuppressed(e);
      }
    }

    private void close(Connection c, boolean restoreAutoCommit) {
      try (c) {
        if (restoreAutoCommit) {
          c.setAutoCommit(true);
        }
      } catch (SQLException e) {
        // The outcome is already decided; a pool discards a connection that fails here.
      }
    }
  }

  /** Settings of a {@link Barrier}; every one has a default. */
  public static final class Builder {
    private final DataSource dataSource;
    private Database database;
    private String table = DEFAULT_TABLE;
    private Clock clock = Clock.systemUTC();
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;

    private Builder(DataSource dataSource) {
      this.dataSource =
          Objects.requireNonNull(
              dataSource, "dataSource must not be null; pass the participant's own DataSource");
    }

    /** The database the table lives in; detected from a connection's metadata when not set. */
    public Builder database(Database database) {
      this.database = Objects.requireNonNull(database, "database must not be null");
      return this;
    }

    /** The table's name, default {@value Barrier#DEFAULT_TABLE}. */
    public Builder table(String table) {
      this.table = Objects.requireNonNull(table, "table must not be null");
      return this;
    }

    /** Stamps each row's {@code created_at}, which the purger compares with its retention. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /** How many times {@link Barrier#run} tries a transaction aborted for a concurrent one. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException(
            "maxAttempts is " + maxAttempts + "; it must be at least 1 (1 = never retry)");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Barrier build() {
      return new Barrier(this, database != null ? database : detect());
    }

    private Database detect() {
      try (Connection c = dataSource.getConnection()) {
        return Database.of(c);
      } catch (SQLException e) {
        throw new IllegalStateException(
            "could not detect the barrier's database from a connection; set it with"
                + " Barrier.builder(dataSource).database(...)",
            e);
      }
    }
  }
}
