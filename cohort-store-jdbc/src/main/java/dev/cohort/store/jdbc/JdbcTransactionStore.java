package dev.cohort.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.InvalidInputException;
import dev.cohort.coordinator.TransactionQuery;
import dev.cohort.coordinator.spi.ActivityBucket;
import dev.cohort.coordinator.spi.AttemptRecord;
import dev.cohort.coordinator.spi.AuditRecord;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.BranchSample;
import dev.cohort.coordinator.spi.ClaimRequest;
import dev.cohort.coordinator.spi.ConsoleSessionRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.LogUnit;
import dev.cohort.coordinator.spi.StoreException;
import dev.cohort.coordinator.spi.StoredTransaction;
import dev.cohort.coordinator.spi.TransactionStore;
import dev.cohort.coordinator.spi.WriteResult;
import dev.cohort.jdbc.Database;
import dev.cohort.jdbc.MigrationResult;
import dev.cohort.jdbc.Schema;
import dev.cohort.jdbc.SchemaException;
import dev.cohort.jdbc.SchemaMigrator;
import dev.cohort.jdbc.SchemaMode;
import dev.cohort.store.jdbc.internal.AttemptHistory;
import dev.cohort.store.jdbc.internal.ConsoleQueries;
import dev.cohort.store.jdbc.internal.Dialect;
import dev.cohort.store.jdbc.internal.GroupCommitWriter;
import dev.cohort.store.jdbc.internal.LogSchema;
import dev.cohort.store.jdbc.internal.Queries;
import dev.cohort.store.jdbc.internal.SessionQueries;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The coordinator's log in a relational database.
 *
 * <pre>{@code
 * TransactionStore log = JdbcTransactionStore.sqlite(Path.of("cohort-log.db"));   // embedded
 * TransactionStore log = JdbcTransactionStore.builder(hikari, Database.POSTGRESQL).build();
 * }</pre>
 *
 * <p>{@link #open()} creates the tables or migrates them to the current version (see {@link
 * #schema()}); with {@link Builder#schemaMode(SchemaMode) schemaMode(VERIFY)} it only checks the
 * version, for schemas applied with your own migration tool.
 */
public final class JdbcTransactionStore implements TransactionStore {
  /** Units written per database transaction at most. */
  public static final int DEFAULT_MAX_BATCH = 256;

  /** Calls kept per branch and operation in the attempt history. */
  public static final int DEFAULT_ATTEMPTS_KEPT = 10;

  /** See {@link Builder#searchScanFirst}. */
  public static final int DEFAULT_SEARCH_SCAN_FIRST = 500;

  private static final Logger LOG = LoggerFactory.getLogger(JdbcTransactionStore.class);

  private final DataSource dataSource;
  private final Dialect dialect;
  private final Clock clock;
  private final Queries queries;
  private final ConsoleQueries console = new ConsoleQueries();
  private final SessionQueries sessions = new SessionQueries();
  private final int writerThreads;
  private final int maxBatch;
  private final AutoCloseable ownedPool;
  private final FlushObserver flushObserver;
  private final SchemaMode schemaMode;
  private final int attemptsKept;
  private final int searchScanFirst;
  private volatile GroupCommitWriter writer;

  private JdbcTransactionStore(Builder b) {
    this.dataSource = b.dataSource;
    this.dialect = new Dialect(b.database);
    this.clock = b.clock;
    this.queries = new Queries(dialect);
    this.writerThreads = b.writerThreads;
    this.maxBatch = b.maxBatch;
    this.ownedPool = b.ownedPool;
    this.flushObserver = b.flushObserver;
    this.schemaMode = b.schemaMode;
    this.attemptsKept = b.attemptsKept;
    this.searchScanFirst = b.searchScanFirst;
  }

  /**
   * The log's tables, versioned: what {@link #open()} applies, and what {@code cohort schema}
   * prints.
   */
  public static Schema schema() {
    return LogSchema.schema();
  }

  /**
   * An embedded log in one SQLite file: WAL journal and {@code synchronous=FULL}, so a write that
   * returned survives a power cut. The pool is closed with the store.
   */
  public static JdbcTransactionStore sqlite(Path file) {
    return sqlite(file, FlushObserver.NONE);
  }

  /** {@link #sqlite(Path)} with an observer of every group commit (for metrics). */
  public static JdbcTransactionStore sqlite(Path file, FlushObserver observer) {
    return sqliteBuilder(file).flushObserver(observer).build();
  }

  /**
   * A builder for {@link #sqlite(Path)}'s log, for its other settings ({@link
   * Builder#attemptsKept}); the pool it opens is closed with the store.
   */
  public static Builder sqliteBuilder(Path file) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(30_000);
    // Write transactions take the lock when they begin, so two of them never deadlock upgrading.
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    SQLiteDataSource sqlite = new SQLiteDataSource(config);
    sqlite.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    HikariConfig hikari = new HikariConfig();
    hikari.setDataSource(sqlite);
    hikari.setPoolName("cohort-log-sqlite");
    hikari.setMaximumPoolSize(4);
    HikariDataSource pool = new HikariDataSource(hikari);
    Builder b = builder(pool, Database.SQLITE);
    b.ownedPool = pool;
    return b;
  }

  /** A log in a database you provide a pool for (use HikariCP). */
  public static Builder builder(DataSource dataSource, Database database) {
    return new Builder(dataSource, database);
  }

  @Override
  public void open() {
    prepareSchema();
    synchronized (this) {
      if (writer == null) {
        writer =
            new GroupCommitWriter(
                dataSource,
                dialect,
                writerThreads,
                maxBatch,
                "cohort-log-" + dialect.database(),
                flushObserver,
                new AttemptHistory(dialect, attemptsKept));
      }
    }
  }

  private void prepareSchema() {
    SchemaMigrator migrator = SchemaMigrator.builder(schema()).clock(clock).build();
    Database database = dialect.database();
    try (Connection c = dataSource.getConnection()) {
      if (schemaMode == SchemaMode.VERIFY) {
        migrator.verify(c, database);
        return;
      }
      MigrationResult r = migrator.migrate(c, database);
      if (r.adoptedPreHistory()) {
        LOG.info(
            "the log's tables on {} predate its schema history; recorded as version 1", database);
      }
      if (r.changed()) {
        LOG.info(
            "the log's schema on {} migrated from version {} to {}",
            database,
            r.fromVersion(),
            r.toVersion());
      }
    } catch (SchemaException e) {
      throw new StoreException(e.getMessage(), e);
    } catch (SQLException e) {
      throw new StoreException(
          "could not create, migrate or verify the log's schema on " + database, e);
    }
  }

  @Override
  public CompletableFuture<WriteResult> write(LogUnit unit) {
    GroupCommitWriter w = writer;
    if (w == null) {
      return CompletableFuture.failedFuture(
          new StoreException("the log is not open; the coordinator opens it in start()", null));
    }
    return w.submit(unit);
  }

  @Override
  public List<CompletableFuture<WriteResult>> writeTogether(List<LogUnit> units) {
    GroupCommitWriter w = writer;
    if (w == null) {
      return TransactionStore.super.writeTogether(units); // each fails as write() does
    }
    return w.submitTogether(units);
  }

  @Override
  public Optional<StoredTransaction> load(Gid gid) {
    try (Connection c = dataSource.getConnection()) {
      return queries.load(c, gid);
    } catch (SQLException e) {
      throw new StoreException("could not read transaction " + gid + " from the log", e);
    }
  }

  @Override
  public List<StoredTransaction> claim(ClaimRequest request) {
    try (Connection c = dataSource.getConnection()) {
      return queries.claim(c, request);
    } catch (SQLException e) {
      throw new StoreException("could not claim due transactions for " + request.owner(), e);
    }
  }

  @Override
  public int renewLeases(String owner, List<Gid> gids, Instant until) {
    if (gids.isEmpty()) {
      return 0;
    }
    try (Connection c = dataSource.getConnection()) {
      return queries.renewLeases(c, owner, gids, until);
    } catch (SQLException e) {
      throw new StoreException("could not renew the leases of " + owner, e);
    }
  }

  @Override
  public List<GlobalRecord> search(TransactionQuery query) {
    try (Connection c = dataSource.getConnection()) {
      return queries.search(c, query, searchScanFirst);
    } catch (SQLException e) {
      throw new StoreException("could not search the log", e);
    }
  }

  @Override
  public Map<GlobalStatus, Long> countByStatus() {
    try (Connection c = dataSource.getConnection()) {
      return queries.countByStatus(c);
    } catch (SQLException e) {
      throw new StoreException("could not count the log's transactions", e);
    }
  }

  @Override
  public int purgeFinished(Instant finishedBefore, int limit) {
    try (Connection c = dataSource.getConnection()) {
      return queries.purgeFinished(c, finishedBefore, limit);
    } catch (SQLException e) {
      throw new StoreException("could not purge finished transactions", e);
    }
  }

  @Override
  public void appendAudit(AuditRecord record) {
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      console.appendAudit(c, record);
      if (!auto) {
        c.commit();
      }
    } catch (SQLException e) {
      throw new StoreException("could not write the audit record of " + record.gid(), e);
    }
  }

  @Override
  public void openSession(ConsoleSessionRecord session, Instant idleBefore, Instant now, int cap) {
    try (Connection c = dataSource.getConnection()) {
      sessions.open(c, session, idleBefore, now, cap);
    } catch (SQLException e) {
      throw new StoreException("could not store a console session", e);
    }
  }

  @Override
  public Optional<ConsoleSessionRecord> session(String idHash) {
    try (Connection c = dataSource.getConnection()) {
      return sessions.find(c, idHash);
    } catch (SQLException e) {
      throw new StoreException("could not read a console session", e);
    }
  }

  @Override
  public void touchSession(String idHash, Instant lastSeen) {
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      sessions.touch(c, idHash, lastSeen);
      if (!auto) {
        c.commit();
      }
    } catch (SQLException e) {
      throw new StoreException("could not refresh a console session", e);
    }
  }

  @Override
  public void closeSession(String idHash) {
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      sessions.close(c, idHash);
      if (!auto) {
        c.commit();
      }
    } catch (SQLException e) {
      throw new StoreException("could not delete a console session", e);
    }
  }

  @Override
  public List<AttemptRecord> attempts(Gid gid) {
    try (Connection c = dataSource.getConnection()) {
      return AttemptHistory.load(c, gid);
    } catch (SQLException e) {
      throw new StoreException("could not read the attempt history of " + gid, e);
    }
  }

  @Override
  public List<AuditRecord> audit(Gid gid, int limit) {
    try (Connection c = dataSource.getConnection()) {
      return console.audit(c, gid, limit);
    } catch (SQLException e) {
      throw new StoreException("could not read the audit trail of " + gid, e);
    }
  }

  @Override
  public List<AuditRecord> recentAudit(int limit) {
    try (Connection c = dataSource.getConnection()) {
      return console.recentAudit(c, limit);
    } catch (SQLException e) {
      throw new StoreException("could not read the audit trail", e);
    }
  }

  @Override
  public List<ActivityBucket> activity(Instant since, java.time.Duration bucket) {
    try (Connection c = dataSource.getConnection()) {
      return console.activity(c, since, bucket);
    } catch (SQLException e) {
      throw new StoreException("could not count recent transactions", e);
    }
  }

  @Override
  public Optional<GlobalRecord> oldestUnfinished() {
    try (Connection c = dataSource.getConnection()) {
      return console.oldestUnfinished(c);
    } catch (SQLException e) {
      throw new StoreException("could not find the oldest unfinished transaction", e);
    }
  }

  @Override
  public List<BranchSample> branchSample(Instant since, int limit) {
    try (Connection c = dataSource.getConnection()) {
      return console.branchSample(c, since, limit);
    } catch (SQLException e) {
      throw new StoreException("could not sample recent branches", e);
    }
  }

  /** How many calls the attempt history keeps per branch and operation. */
  public int attemptsKept() {
    return attemptsKept;
  }

  /** Reads one row; for health checks. Throws {@link StoreException} when the log is down. */
  public void ping() {
    try (Connection c = dataSource.getConnection();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT 1")) {
      rs.next();
    } catch (SQLException e) {
      throw new StoreException("the log on " + dialect.database() + " does not answer", e);
    }
  }

  @Override
  public List<GlobalRecord> findByStatus(GlobalStatus status, int limit) {
    try (Connection c = dataSource.getConnection()) {
      return queries.findByStatus(c, status, limit);
    } catch (SQLException e) {
      throw new StoreException("could not list " + status.code() + " transactions", e);
    }
  }

  /** How well group commit is batching; for metrics, tests and the benchmark. */
  public WriteStats writeStats() {
    GroupCommitWriter w = writer;
    if (w == null) {
      return new WriteStats(0, 0, java.time.Duration.ZERO);
    }
    long[] s = w.stats();
    return new WriteStats(s[0], s[1], java.time.Duration.ofNanos(s[2]));
  }

  /** Branches of a transaction; for tests and tools. */
  public List<BranchRecord> branches(Gid gid) {
    return load(gid).map(StoredTransaction::branches).orElse(List.of());
  }

  @Override
  public void close() {
    GroupCommitWriter w = writer;
    if (w != null) {
      w.close();
    }
    if (ownedPool != null) {
      try {
        ownedPool.close();
      } catch (Exception e) {
        throw new StoreException("could not close the log's connection pool", e);
      }
    }
  }

  /** Settings for a log on your own pool. */
  public static final class Builder {
    private final DataSource dataSource;
    private final Database database;
    private Clock clock = Clock.systemUTC();
    private int writerThreads;
    private int maxBatch = DEFAULT_MAX_BATCH;
    private AutoCloseable ownedPool;
    private FlushObserver flushObserver = FlushObserver.NONE;
    private SchemaMode schemaMode = SchemaMode.MIGRATE;
    private int attemptsKept = DEFAULT_ATTEMPTS_KEPT;
    private int searchScanFirst = DEFAULT_SEARCH_SCAN_FIRST;

    private Builder(DataSource dataSource, Database database) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.database = Objects.requireNonNull(database, "database");
      // SQLite has one writer at a time anyway; a server overlaps one commit with the next batch.
      this.writerThreads = database == Database.SQLITE ? 1 : 2;
    }

    /** Clock for the schema-version timestamp; the engine's clock stamps everything else. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Threads committing batches in parallel; each holds a connection while it writes. */
    public Builder writerThreads(int value) {
      if (value < 1 || value > 64) {
        throw new InvalidInputException("writerThreads must be in 1..64 but was " + value);
      }
      this.writerThreads = value;
      return this;
    }

    public Builder maxBatch(int value) {
      if (value < 1) {
        throw new InvalidInputException("maxBatch must be at least 1 but was " + value);
      }
      this.maxBatch = value;
      return this;
    }

    /** Hears every group commit: units carried and time taken (for metrics). */
    public Builder flushObserver(FlushObserver value) {
      this.flushObserver = Objects.requireNonNull(value, "flushObserver");
      return this;
    }

    /**
     * MIGRATE (default): {@link #open()} creates or migrates the tables. VERIFY: it only checks
     * that they are at the current version, for teams that apply the scripts of {@code cohort
     * schema} with their own migration tool.
     */
    public Builder schemaMode(SchemaMode value) {
      this.schemaMode = Objects.requireNonNull(value, "schemaMode");
      return this;
    }

    /**
     * How many calls the attempt history keeps per branch and operation (default {@value
     * #DEFAULT_ATTEMPTS_KEPT}); a newer call replaces the oldest; 0 keeps none (the console then
     * shows no attempts). Changing it on a log that has a history keeps the rows already written
     * until their slots are reused.
     */
    public Builder attemptsKept(int value) {
      if (value < 0 || value > 1_000) {
        throw new InvalidInputException(
            "attemptsKept must be in 0..1000 (calls kept per branch and operation; 0 keeps none)"
                + " but was "
                + value);
      }
      this.attemptsKept = value;
      return this;
    }

    /**
     * How many rows a text search (the console's and the API's {@code q}, participant and error
     * fields) first looks at in gid order, checking the text on each row, before it asks the text
     * index (default {@value #DEFAULT_SEARCH_SCAN_FIRST}; 0 always asks the index). Text that
     * matches much of the log fills its page from those rows; rare text pays for them, then the
     * index answers. PostgreSQL and SQLite (ASCII text) only: MariaDB's FULLTEXT finds words, not
     * fragments, so a row-by-row LIKE would find more than its index and MariaDB always asks the
     * index.
     */
    public Builder searchScanFirst(int rows) {
      if (rows < 0 || rows > 1_000_000) {
        throw new InvalidInputException(
            "searchScanFirst must be in 0..1000000 (rows looked at before the text index; 0 asks"
                + " the index at once) but was "
                + rows);
      }
      this.searchScanFirst = rows;
      return this;
    }

    /** Closes this pool with the store. */
    public Builder closePoolOnClose(AutoCloseable pool) {
      this.ownedPool = pool;
      return this;
    }

    public JdbcTransactionStore build() {
      return new JdbcTransactionStore(this);
    }
  }
}
