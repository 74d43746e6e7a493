package dev.cohort.eventstore;

import dev.cohort.eventstore.internal.AppendRequest;
import dev.cohort.eventstore.internal.Combiner;
import dev.cohort.eventstore.internal.EventSql;
import dev.cohort.eventstore.internal.PostgresAppend;
import dev.cohort.jdbc.Database;
import dev.cohort.jdbc.MigrationResult;
import dev.cohort.jdbc.Schema;
import dev.cohort.jdbc.SchemaMigrator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Streams of events per aggregate in one database.
 *
 * <ul>
 *   <li>{@link #append} adds events to a stream if it is still at the expected version, else throws
 *       {@link StreamVersionConflictException} and writes nothing;
 *   <li>every event gets a <b>global position</b>: gapless and in commit order, so a reader that
 *       has seen position <i>p</i> never later finds an event below <i>p</i> (positions come from
 *       one counter row whose lock each append transaction holds until it commits: appends are
 *       serialised, and the concurrent appends of one store are combined into one transaction);
 *   <li>{@link #saveSnapshot}/{@link #loadSnapshot} keep the latest snapshot per stream;
 *   <li>{@link #readAll} pages through every event for projections ({@link ProjectionRunner});
 *       {@link #replayUntil} replays what had been recorded by a point in time.
 * </ul>
 *
 * Every statement runs on the data source given; pass the primary's (a replica cannot append, and a
 * projection reading a lagging replica would only be late, never wrong).
 */
public final class EventStore {
  /** Longest stream id (the column's width). */
  public static final int MAX_STREAM_ID_LENGTH = 200;

  private static final String COLUMNS =
      "global_position, stream_id, stream_version, event_type, payload, recorded_at";

  /** Most concurrent appends one transaction carries, unless {@link Builder#appendBatchSize}. */
  public static final int DEFAULT_APPEND_BATCH_SIZE = 64;

  private final DataSource dataSource;
  private final Database database;
  private final Clock clock;
  private final Combiner<AppendRequest> appends;

  private EventStore(DataSource dataSource, Database database, Clock clock, int appendBatchSize) {
    this.dataSource = dataSource;
    this.database = database;
    this.clock = clock;
    this.appends = new Combiner<>(appendBatchSize, this::appendBatch);
  }

  public static Builder builder(DataSource dataSource, Database database) {
    return new Builder(dataSource, database);
  }

  /** The tables as versioned scripts ({@code /dev/cohort/eventstore/sql/<database>/}). */
  public static Schema schema() {
    return Schema.builder("eventstore", EventStore.class)
        .historyTable("cohort_eventstore_schema_version")
        .version("create_event_tables")
        .build();
  }

  /** Creates or migrates the tables under cohort-jdbc's migration lock. */
  public MigrationResult createSchema() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return SchemaMigrator.builder(schema()).clock(clock).build().migrate(c, database);
    }
  }

  /** Fails unless the tables are at the version this build needs. */
  public void verifySchema() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      SchemaMigrator.of(schema()).verify(c, database);
    }
  }

  /** The statements {@link #createSchema()} would run, for a migration tool of your own. */
  public List<String> schemaStatements() {
    return SchemaMigrator.of(schema()).exportStatements(database);
  }

  public Database database() {
    return database;
  }

  /**
   * Appends {@code events} to stream {@code streamId} if it is at {@code expectedVersion} (0: the
   * stream has no events yet).
   *
   * @throws StreamVersionConflictException when the stream is at another version; nothing written
   * @throws InvalidAppendException for a negative expected version, no events, a bad stream id
   */
  public AppendResult append(String streamId, long expectedVersion, List<EventData> events)
      throws SQLException {
    requireStreamId(streamId);
    if (expectedVersion < 0) {
      throw new InvalidAppendException(
          "append to stream '"
              + streamId
              + "' with expected version "
              + expectedVersion
              + ": versions start at 0 (no events yet); pass the version you read");
    }
    if (events == null || events.isEmpty()) {
      throw new InvalidAppendException("append to stream '" + streamId + "' has no events");
    }
    AppendRequest request = new AppendRequest(streamId, expectedVersion, events, clock.millis());
    appends.submit(request);
    return request.outcome();
  }

  /**
   * Runs the appends of concurrent callers as one transaction: one version check for all their
   * streams, one allocation of positions, one insert, one commit (on PostgreSQL all of it one
   * statement, {@link PostgresAppend}). A request whose stream is not at its expected version (also
   * because an earlier request of the batch moved it) fails alone and takes no position. When the
   * transaction fails as a whole (a concurrent append from another process hit the unique key, a
   * bad row), each request is run again alone, so that one caller's failure is not its neighbours'.
   */
  private void appendBatch(List<AppendRequest> batch) {
    if (database != Database.POSTGRESQL) {
      runBatch(batch);
      return;
    }
    // The statement checks each stream against the version before the batch: a second request
    // to a stream (which expects the first one's outcome) goes into the next statement.
    for (List<AppendRequest> round : PostgresAppend.oneRequestPerStream(batch)) {
      runBatch(round);
    }
  }

  private void runBatch(List<AppendRequest> batch) {
    List<Object> outcomes;
    try {
      outcomes =
          database == Database.POSTGRESQL
              ? inAutocommit(c -> PostgresAppend.run(c, batch))
              : inTransaction(c -> appendIn(c, batch));
    } catch (SQLException | RuntimeException e) {
      if (batch.size() > 1) {
        for (AppendRequest p : batch) {
          runBatch(List.of(p));
        }
      } else {
        batch.get(0).fail(single(batch.get(0), e));
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      Object o = outcomes.get(i);
      if (o instanceof AppendResult r) {
        batch.get(i).succeed(r);
      } else {
        batch.get(i).fail((Exception) o);
      }
    }
  }

  /** The failure of an append that ran alone: a unique-key hit is a version conflict. */
  private Exception single(AppendRequest p, Exception e) {
    if (!(e instanceof SQLException sql) || !isUniqueViolation(sql)) {
      return e;
    }
    // Another append to this stream committed the versions we meant to write.
    try {
      return new StreamVersionConflictException(
          p.streamId(), p.expectedVersion(), streamVersion(p.streamId()));
    } catch (SQLException again) {
      again.addSuppressed(e);
      return again;
    }
  }

  /** Per request of {@code batch}, in order: its {@link AppendResult} or its conflict. */
  private List<Object> appendIn(Connection c, List<AppendRequest> batch) throws SQLException {
    if (database == Database.SQLITE) {
      // SQLite: write first. A transaction that read before its first write fails outright when
      // another one committed in between; one that starts with a write waits its turn.
      update(c, "UPDATE cohort_event_head SET global_position = global_position WHERE id = 1");
    }
    // MariaDB: checked before the counter row's lock is taken, so that the lock is
    // held only for the insert and the commit. A concurrent append to one of these streams that
    // commits first makes the insert hit the unique (stream_id, stream_version) key: a conflict
    // all the same (found when each request runs again alone).
    Map<String, Long> versions = currentVersions(c, batch);
    List<Object> outcomes = new ArrayList<>(batch.size());
    int accepted = 0;
    for (AppendRequest p : batch) {
      long actual = versions.get(p.streamId());
      if (actual != p.expectedVersion()) {
        outcomes.add(new StreamVersionConflictException(p.streamId(), p.expectedVersion(), actual));
      } else {
        versions.put(p.streamId(), actual + p.events().size());
        accepted += p.events().size();
        outcomes.add(null);
      }
    }
    if (accepted == 0) {
      return outcomes;
    }
    long position = allocate(c, accepted) - accepted + 1;
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO cohort_event (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < batch.size(); i++) {
        if (outcomes.get(i) != null) {
          continue;
        }
        AppendRequest p = batch.get(i);
        long first = position;
        for (int k = 0; k < p.events().size(); k++) {
          EventData e = p.events().get(k);
          s.setLong(1, position++);
          s.setString(2, p.streamId());
          s.setLong(3, p.expectedVersion() + k + 1);
          s.setString(4, e.type());
          s.setString(5, e.payload());
          s.setLong(6, p.recordedAt());
          s.addBatch();
        }
        outcomes.set(
            i, new AppendResult(p.expectedVersion() + p.events().size(), first, position - 1));
      }
      s.executeBatch();
    }
    return outcomes;
  }

  /** The current version of every stream {@code batch} appends to (0 for a new one). */
  private static Map<String, Long> currentVersions(Connection c, List<AppendRequest> batch)
      throws SQLException {
    Map<String, Long> versions = new HashMap<>();
    for (AppendRequest p : batch) {
      versions.put(p.streamId(), 0L);
    }
    String marks = String.join(", ", Collections.nCopies(versions.size(), "?"));
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT stream_id, MAX(stream_version) FROM cohort_event WHERE stream_id IN ("
                + marks
                + ") GROUP BY stream_id")) {
      int i = 1;
      for (String stream : versions.keySet()) {
        s.setString(i++, stream);
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          versions.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return versions;
  }

  /**
   * Takes {@code n} global positions from the counter row, whose lock this transaction then holds
   * until it ends: the appends commit in the order of their positions. Returns the last one.
   */
  private static long allocate(Connection c, int n) throws SQLException {
    update(c, "UPDATE cohort_event_head SET global_position = global_position + ? WHERE id = 1", n);
    return queryLong(c, "SELECT global_position FROM cohort_event_head WHERE id = 1");
  }

  private static boolean isUniqueViolation(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        for (SQLException x = s; x != null; x = x.getNextException()) {
          String state = x.getSQLState();
          if ("23505".equals(state)
              || ("23000".equals(state) && x.getErrorCode() == 1062)
              || String.valueOf(x.getMessage()).contains("UNIQUE constraint failed")) {
            return true;
          }
          if (x.getNextException() == x) {
            break;
          }
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** The stream's events from version {@code fromVersion} on (1: all), in order. */
  public List<RecordedEvent> readStream(String streamId, long fromVersion) throws SQLException {
    requireStreamId(streamId);
    return inTransaction(c ->
        query(
            c,
            "SELECT "
                + COLUMNS
                + " FROM cohort_event WHERE stream_id = ? AND stream_version >= ? ORDER BY"
                + " stream_version",
            0,
            streamId,
            fromVersion));
  }

  /** The stream's current version (0: no events). */
  public long streamVersion(String streamId) throws SQLException {
    requireStreamId(streamId);
    return inTransaction(c ->
        queryLong(
            c,
            "SELECT COALESCE(MAX(stream_version), 0) FROM cohort_event WHERE stream_id = ?",
            streamId));
  }

  /** At most {@code limit} events after global position {@code afterPosition}, in order. */
  public List<RecordedEvent> readAll(long afterPosition, int limit) throws SQLException {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be 1 or more, got " + limit);
    }
    return inTransaction(c -> readAll(c, afterPosition, limit));
  }

  List<RecordedEvent> readAll(Connection c, long afterPosition, int limit) throws SQLException {
    return query(
        c,
        "SELECT "
            + COLUMNS
            + " FROM cohort_event WHERE global_position > ? ORDER BY global_position",
        limit,
        afterPosition);
  }

  /** The last global position handed out (0: no events). */
  public long headPosition() throws SQLException {
    return inTransaction(
        c -> queryLong(c, "SELECT global_position FROM cohort_event_head WHERE id = 1"));
  }

  /**
   * Hands every event recorded at or before {@code until} to {@code handler}, in global position
   * order: the state of the world as it was then (rebuild a read model into a scratch table, answer
   * "what did we know at ..."). Reads in pages; does not touch any checkpoint.
   *
   * @return how many events were replayed
   */
  public long replayUntil(Instant until, Consumer<RecordedEvent> handler) throws SQLException {
    Objects.requireNonNull(until, "until");
    Objects.requireNonNull(handler, "handler");
    long after = 0;
    long count = 0;
    while (true) {
      long from = after;
      List<RecordedEvent> page =
          inTransaction(c ->
              query(
                  c,
                  "SELECT "
                      + COLUMNS
                      + " FROM cohort_event WHERE global_position > ? AND recorded_at <= ?"
                      + " ORDER BY global_position",
                  PAGE,
                  from,
                  until.toEpochMilli()));
      for (RecordedEvent e : page) {
        handler.accept(e);
        after = e.globalPosition();
        count++;
      }
      if (page.size() < PAGE) {
        return count;
      }
    }
  }

  private static final int PAGE = 500;

  /**
   * Saves {@code payload} as the snapshot of the stream at {@code streamVersion}, unless a later
   * one exists.
   */
  public void saveSnapshot(String streamId, long streamVersion, String payload)
      throws SQLException {
    requireStreamId(streamId);
    if (streamVersion < 1) {
      throw new IllegalArgumentException(
          "snapshot of stream '"
              + streamId
              + "' at version "
              + streamVersion
              + ": must be 1 or more");
    }
    Objects.requireNonNull(payload, "payload");
    long now = clock.millis();
    inTransaction(c -> {
      int updated =
          update(
              c,
              "UPDATE cohort_snapshot SET stream_version = ?, payload = ?, taken_at = ? WHERE"
                  + " stream_id = ? AND stream_version < ?",
              streamVersion,
              payload,
              now,
              streamId,
              streamVersion);
      if (updated == 0) {
        update(
            c,
            EventSql.insertIfAbsent(
                database,
                "cohort_snapshot",
                "stream_id, stream_version, payload, taken_at",
                4,
                "stream_id"),
            streamId,
            streamVersion,
            payload,
            now);
      }
      return null;
    });
  }

  /** The latest snapshot of the stream, if any. */
  public Optional<Snapshot> loadSnapshot(String streamId) throws SQLException {
    requireStreamId(streamId);
    return inTransaction(c -> {
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT stream_version, payload, taken_at FROM cohort_snapshot WHERE stream_id"
                  + " = ?")) {
        s.setString(1, streamId);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next()
              ? Optional.of(
                  new Snapshot(
                      streamId,
                      rs.getLong(1),
                      rs.getString(2),
                      Instant.ofEpochMilli(rs.getLong(3))))
              : Optional.empty();
        }
      }
    });
  }

  Clock clock() {
    return clock;
  }

  DataSource dataSource() {
    return dataSource;
  }

  // --- JDBC -------------------------------------------------------------------------------------

  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in a read-write transaction (a routing data source keeps it on the primary).
   */
  <T> T inTransaction(Work<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  /** Runs {@code work} in autocommit: each statement its own transaction. */
  private <T> T inAutocommit(Work<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      return work.run(c);
    }
  }

  /** The events {@code sql} selects ({@link #COLUMNS}), at most {@code maxRows} (0: all). */
  private static List<RecordedEvent> query(Connection c, String sql, int maxRows, Object... params)
      throws SQLException {
    Object[] bind = params;
    int limit = maxRows;
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < bind.length; i++) {
        s.setObject(i + 1, bind[i]);
      }
      s.setMaxRows(limit);
      try (ResultSet rs = s.executeQuery()) {
        List<RecordedEvent> out = new ArrayList<>();
        while (rs.next()) {
          out.add(
              new RecordedEvent(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getLong(3),
                  rs.getString(4),
                  rs.getString(5),
                  Instant.ofEpochMilli(rs.getLong(6))));
        }
        return out;
      }
    }
  }

  static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      return s.executeUpdate();
    }
  }

  static long queryLong(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("no row for: " + sql);
        }
        return rs.getLong(1);
      }
    }
  }

  private static void requireStreamId(String streamId) {
    if (streamId == null || streamId.isBlank() || streamId.length() > MAX_STREAM_ID_LENGTH) {
      throw new InvalidAppendException(
          "stream id must be 1 to "
              + MAX_STREAM_ID_LENGTH
              + " characters and not blank, got '"
              + streamId
              + "'");
    }
  }

  /** Settings of an {@link EventStore}. */
  public static final class Builder {
    private final DataSource dataSource;
    private final Database database;
    private Clock clock = Clock.systemUTC();
    private int appendBatchSize = DEFAULT_APPEND_BATCH_SIZE;

    private Builder(DataSource dataSource, Database database) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.database = Objects.requireNonNull(database, "database");
    }

    /** The clock events are recorded by; tests pass a {@code MutableClock}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Most concurrent appends of this store one transaction carries (default {@value
     * #DEFAULT_APPEND_BATCH_SIZE}); 1 runs every append in its own transaction.
     */
    public Builder appendBatchSize(int appendBatchSize) {
      if (appendBatchSize < 1 || appendBatchSize > 1000) {
        throw new IllegalArgumentException(
            "appendBatchSize must be 1 to 1000, got " + appendBatchSize);
      }
      this.appendBatchSize = appendBatchSize;
      return this;
    }

    public EventStore build() {
      return new EventStore(dataSource, database, clock, appendBatchSize);
    }
  }
}
