package dev.cohort.participant;

import dev.cohort.api.BranchId;
import dev.cohort.api.Gid;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.jdbc.Database;
import dev.cohort.jdbc.MigrationResult;
import dev.cohort.jdbc.Schema;
import dev.cohort.jdbc.SchemaMigrator;
import dev.cohort.participant.internal.PreparedSql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The participant's half of a two-phase commit, in its own database: {@link #prepare} runs the
 * business work in a local transaction and leaves it prepared (PostgreSQL {@code PREPARE
 * TRANSACTION}, MariaDB {@code XA PREPARE}) under an id made from the gid and branch id; {@link
 * #commit} and {@link #rollback} finish it when the coordinator's decision arrives.
 *
 * <p>Rules, so that every call may be repeated (docs/protocol.md, "Two-phase commit"):
 *
 * <ul>
 *   <li>Inside the prepared transaction the branch's row in the outcome table is inserted as {@code
 *       committed}, so after a crash the row exists exactly when the branch committed.
 *   <li>prepare: already prepared → {@link PreparedResult#ALREADY_PREPARED}; already committed →
 *       {@link PreparedResult#ALREADY_COMMITTED}; rolled back before (also an empty rollback) →
 *       refused, so a late prepare never holds locks nobody releases.
 *   <li>commit: prepared → committed; already committed → {@link PreparedResult#ALREADY_COMMITTED};
 *       rolled back or never prepared → refused (409): the coordinator marks the transaction failed
 *       for an operator, because its decision can no longer be carried out here.
 *   <li>rollback: prepared → rolled back and recorded; never prepared → recorded ({@link
 *       PreparedResult#EMPTY_ROLLBACK}); already committed → refused (409).
 * </ul>
 *
 * Thread-safe. Holds no state besides the database's.
 */
public final class PreparedBranches {
  private static final Logger LOG = LoggerFactory.getLogger(PreparedBranches.class);

  public static final String DEFAULT_TABLE = "cohort_prepared";

  /**
   * How long a rollback waits for the outcome row a prepare in flight holds; past it the rollback
   * fails transiently and the coordinator retries, by when the branch is prepared and is rolled
   * back directly.
   */
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(2);

  static final String COMMITTED = "committed";
  static final String ROLLED_BACK = "rolled_back";

  private final DataSource dataSource;
  private final DataSource prepareSource;
  private final PreparedSql sql;
  private final Clock clock;
  private final Duration lockTimeout;

  private PreparedBranches(Builder b) {
    this.dataSource = b.dataSource;
    this.prepareSource = b.prepareSource != null ? b.prepareSource : b.dataSource;
    this.sql = new PreparedSql(b.database, b.table);
    this.clock = b.clock;
    this.lockTimeout = b.lockTimeout;
  }

  /**
   * Branches prepared in {@code dataSource}'s database ({@code database}: PostgreSQL or MariaDB).
   */
  public static Builder builder(DataSource dataSource, Database database) {
    return new Builder(dataSource, database);
  }

  public Database database() {
    return sql.database();
  }

  // For ThreePhaseBranches, whose status table lives beside the outcome table.
  DataSource dataSource() {
    return dataSource;
  }

  String table() {
    return sql.table();
  }

  Clock clock() {
    return clock;
  }

  /** Creates or upgrades the outcome table (versioned, like the barrier's). */
  public PreparedBranches createSchema() {
    try (Connection c = dataSource.getConnection()) {
      MigrationResult r = SchemaMigrator.of(schema(sql.table())).migrate(c, sql.database());
      if (r.changed()) {
        LOG.info(
            "prepared-branch table {}: version {} -> {}",
            sql.table(),
            r.fromVersion(),
            r.toVersion());
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not create the prepared-branch table " + sql.table() + " (" + sql.database() + ")",
          e);
    }
    return this;
  }

  /** The versioned schema of an outcome table named {@code table}. */
  public static Schema schema(String table) {
    return PreparedSql.schema(table);
  }

  /**
   * Runs {@code work} in a new local transaction and prepares it (a yes vote). {@code work}
   * throwing {@link ParticipantRefusedException} votes no; another exception is a failed prepare.
   * Either way nothing stays prepared.
   */
  public PreparedResult prepare(String gid, String branchId, LocalWork work) throws Exception {
    check(gid, branchId);
    Objects.requireNonNull(work, "work");
    try (Connection c = prepareSource.getConnection()) {
      if (sql.isPrepared(c, gid, branchId)) {
        return PreparedResult.ALREADY_PREPARED;
      }
      Optional<String> decided = sql.outcome(c, gid, branchId);
      if (decided.isPresent()) {
        return afterDecision(gid, branchId, decided.get());
      }
      sql.begin(c, gid, branchId);
      boolean prepared = false;
      try {
        if (!sql.insertOutcome(c, gid, branchId, COMMITTED, clock.millis())) {
          sql.abandon(c, gid, branchId);
          prepared = true; // abandoned already
          return afterDecision(gid, branchId, sql.outcome(c, gid, branchId).orElse(ROLLED_BACK));
        }
        work.run(c);
        sql.prepare(c, gid, branchId);
        prepared = true;
        return PreparedResult.PREPARED;
      } finally {
        if (!prepared) {
          sql.abandon(c, gid, branchId);
        }
      }
    }
  }

  private PreparedResult afterDecision(String gid, String branchId, String outcome) {
    if (COMMITTED.equals(outcome)) {
      return PreparedResult.ALREADY_COMMITTED;
    }
    throw new ParticipantRefusedException(
        "prepare of "
            + gid
            + "/"
            + branchId
            + " arrived after its rollback; refused so that nothing stays prepared");
  }

  /** Commits the prepared branch (see the class comment for repeated and unknown branches). */
  public PreparedResult commit(String gid, String branchId) throws SQLException {
    check(gid, branchId);
    try (Connection c = dataSource.getConnection()) {
      if (sql.isPrepared(c, gid, branchId)) {
        try {
          sql.commitPrepared(c, gid, branchId);
          return PreparedResult.COMMITTED;
        } catch (SQLException e) {
          if (sql.isPrepared(c, gid, branchId)) {
            throw e;
          }
          // Someone else (a redelivery, the resolver) finished it meanwhile: read what it became.
        }
      }
      Optional<String> outcome = sql.outcome(c, gid, branchId);
      if (outcome.isPresent() && COMMITTED.equals(outcome.get())) {
        return PreparedResult.ALREADY_COMMITTED;
      }
      throw new ParticipantRefusedException(
          "commit of "
              + gid
              + "/"
              + branchId
              + ": the branch "
              + (outcome.isPresent() ? "was rolled back" : "was never prepared here")
              + ", so it cannot be committed");
    }
  }

  /** Rolls the branch back, or records an empty rollback (see the class comment). */
  public PreparedResult rollback(String gid, String branchId) throws SQLException {
    check(gid, branchId);
    try (Connection c = dataSource.getConnection()) {
      boolean wasPrepared = false;
      if (sql.isPrepared(c, gid, branchId)) {
        try {
          sql.rollbackPrepared(c, gid, branchId);
          wasPrepared = true;
        } catch (SQLException e) {
          if (sql.isPrepared(c, gid, branchId)) {
            throw e;
          }
        }
      }
      boolean inserted;
      sql.lockTimeout(c, lockTimeout.toMillis());
      try {
        inserted = sql.insertOutcome(c, gid, branchId, ROLLED_BACK, clock.millis());
      } finally {
        sql.resetLockTimeout(c);
      }
      if (inserted) {
        return wasPrepared ? PreparedResult.ROLLED_BACK : PreparedResult.EMPTY_ROLLBACK;
      }
      String outcome = sql.outcome(c, gid, branchId).orElse(ROLLED_BACK);
      if (COMMITTED.equals(outcome)) {
        throw new ParticipantRefusedException(
            "rollback of "
                + gid
                + "/"
                + branchId
                + ": the branch was committed already and cannot be rolled back");
      }
      return wasPrepared ? PreparedResult.ROLLED_BACK : PreparedResult.ALREADY_ROLLED_BACK;
    }
  }

  /** Whether the branch is prepared now (holding its locks). */
  public boolean isPrepared(String gid, String branchId) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return sql.isPrepared(c, gid, branchId);
    }
  }

  /** Cohort's branches prepared in this database now; other XIDs are left out. */
  public List<PreparedId> prepared() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      List<PreparedId> ids = new ArrayList<>();
      for (String[] p : sql.listPrepared(c)) {
        ids.add(new PreparedId(p[0], p[1]));
      }
      return ids;
    }
  }

  /** One prepared branch: its gid and branch id. */
  public record PreparedId(String gid, String branchId) {}

  private void check(String gid, String branchId) {
    Gid.of(gid);
    BranchId.of(branchId);
    sql.checkIds(gid, branchId);
  }

  /** Settings; only the data source and its database are required. */
  public static final class Builder {
    private final DataSource dataSource;
    private final Database database;
    private String table = DEFAULT_TABLE;
    private Clock clock = Clock.systemUTC();
    private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
    private DataSource prepareSource;

    private Builder(DataSource dataSource, Database database) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.database = Objects.requireNonNull(database, "database (POSTGRESQL or MARIADB)");
    }

    /** The outcome table; default {@value PreparedBranches#DEFAULT_TABLE}. */
    public Builder table(String value) {
      this.table = Objects.requireNonNull(value, "table");
      return this;
    }

    /** Stamps the outcome rows. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** See {@link PreparedBranches#DEFAULT_LOCK_TIMEOUT}. */
    public Builder lockTimeout(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            "lockTimeout must be positive, was "
                + value
                + "; the default is "
                + DEFAULT_LOCK_TIMEOUT);
      }
      this.lockTimeout = value;
      return this;
    }

    /**
     * Where prepares get their connection, when it must differ from the main data source. Required
     * on MariaDB: a session that ran {@code XA PREPARE} can run nothing else until the branch is
     * decided or the session ends, so a pool must not hand it out again. Give a data source whose
     * {@code close()} really disconnects (e.g. {@code org.mariadb.jdbc.MariaDbDataSource}); the
     * prepared branch survives the disconnect (MariaDB 10.5 and later) and any session commits it.
     */
    public Builder prepareConnections(DataSource value) {
      this.prepareSource = Objects.requireNonNull(value, "prepareConnections");
      return this;
    }

    public PreparedBranches build() {
      if (database == Database.MARIADB && prepareSource == null) {
        throw new IllegalStateException(
            "prepared branches on MariaDB need prepareConnections(unpooledDataSource): a session"
                + " that ran XA PREPARE is unusable until it disconnects, so prepares must not"
                + " borrow from a pool (e.g. pass a new org.mariadb.jdbc.MariaDbDataSource(url))");
      }
      return new PreparedBranches(this);
    }
  }
}
