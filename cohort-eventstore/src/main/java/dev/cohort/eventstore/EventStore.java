package dev.cohort.eventstore;

import dev.cohort.eventstore.internal.EventSql;
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
import java.util.List;
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
 *       one counter row whose lock each append holds until it commits: appends are serialised);
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

  private final DataSource dataSource;
  private final Database database;
  private final Clock clock;

  private EventStore(DataSource dataSource, Database database, Clock clock) {
    this.dataSource = dataSource;
    this.database = database;
    this.clock = clock;
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
    long recordedAt = clock.millis();
    try {
      return inTransaction(c -> appendIn(c, streamId, expectedVersion, events, recordedAt));
    } catch (SQLException e) {
      if (!isUniqueViolation(e)) {
        throw e;
      }
      // Another append to this stream committed the versions we meant to write.
      throw new StreamVersionConflictException(streamId, expectedVersion, streamVersion(streamId));
    }
  }

  private AppendResult appendIn(
      Connection c, String streamId, long expectedVersion, List<EventData> events, long recordedAt)
      throws SQLException {
    long last;
    if (database == Database.SQLITE) {
      // SQLite: write first. A transaction that read before its first write fails outright when
      // another one committed in between; one that starts with a write waits its turn.
      last = allocate(c, events.size());
      checkVersion(c, streamId, expectedVersion);
    } else {
      // Check before taking the counter row's lock, so that the lock is held only for the insert
      // and the commit. A concurrent append to the same stream that commits first makes the
      // insert below hit the unique (stream_id, stream_version) key: a conflict all the same.
      checkVersion(c, streamId, expectedVersion);
      last = allocate(c, events.size());
    }
    long first = last - events.size() + 1;
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO cohort_event (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < events.size(); i++) {
        EventData e = events.get(i);
        s.setLong(1, first + i);
        s.setString(2, streamId);
        s.setLong(3, expectedVersion + i + 1);
        s.setString(4, e.type());
        s.setString(5, e.payload());
        s.setLong(6, recordedAt);
        s.addBatch();
      }
      s.executeBatch();
    }
    return new AppendResult(expectedVersion + events.size(), first, last);
  }

  private static void checkVersion(Connection c, String streamId, long expectedVersion)
      throws SQLException {
    long actual =
        queryLong(
            c,
            "SELECT COALESCE(MAX(stream_version), 0) FROM cohort_event WHERE stream_id = ?",
            streamId);
    if (actual != expectedVersion) {
      throw new StreamVersionConflictException(streamId, expectedVersion, actual);
    }
  }

  /**
   * Takes {@code n} global positions from the counter row, whose lock this transaction then holds
   * until it ends: the appends commit in the order of their positions. Returns the last one.
   */
  private long allocate(Connection c, int n) throws SQLException {
    String increment =
        "UPDATE cohort_event_head SET global_position = global_position + ? WHERE id = 1";
    if (database == Database.POSTGRESQL) {
      return queryLong(c, increment + " RETURNING global_position", n);
    }
    update(c, increment, n);
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

    private Builder(DataSource dataSource, Database database) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.database = Objects.requireNonNull(database, "database");
    }

    /** The clock events are recorded by; tests pass a {@code MutableClock}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public EventStore build() {
      return new EventStore(dataSource, database, clock);
    }
  }
}
