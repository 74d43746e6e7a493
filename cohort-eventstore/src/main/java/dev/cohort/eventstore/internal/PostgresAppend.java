package dev.cohort.eventstore.internal;

import dev.cohort.eventstore.AppendResult;
import dev.cohort.eventstore.EventData;
import dev.cohort.eventstore.StreamVersionConflictException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch of appends on PostgreSQL as one statement in autocommit: the version check of every
 * request, the increment of the counter row and the insert of the accepted events, in one round
 * trip whose commit follows at once on the server.
 *
 * <p>Why one statement: the counter row's lock orders the commits (gapless positions in commit
 * order), so nothing else can append while it is held. Taken inside a client transaction, it was
 * held across the round trips of the insert and the commit; here it is held for the insert and the
 * commit's WAL flush only. The requests travel as arrays, so the text is the same for every batch
 * size and the driver prepares it once per connection.
 *
 * <p>The version check reads the statement's snapshot, taken before the counter row's lock is
 * waited for: an append to one of these streams by another process that commits in between makes
 * the insert hit the unique {@code (stream_id, stream_version)} key and the whole statement fail
 * (nothing written, no position taken); the caller then runs each request alone.
 */
public final class PostgresAppend {
  // Requests and events are parallel arrays; an event names its request by ordinal (1-based).
  // Events are sent in request order, so positions ascend with the request order too.
  static final String SQL =
      """
      WITH req AS (
        SELECT r.ord, r.stream_id, r.expected,
               COALESCE((SELECT MAX(e.stream_version) FROM cohort_event e
                         WHERE e.stream_id = r.stream_id), 0) AS actual
        FROM unnest(?::text[], ?::bigint[]) WITH ORDINALITY AS r(stream_id, expected, ord)
      ), ok AS (
        SELECT q.stream_id,
               q.expected + row_number() OVER (PARTITION BY v.req ORDER BY v.ord) AS stream_version,
               v.event_type, v.payload, v.recorded_at,
               row_number() OVER (ORDER BY v.ord) AS n
        FROM unnest(?::int[], ?::text[], ?::text[], ?::bigint[])
             WITH ORDINALITY AS v(req, event_type, payload, recorded_at, ord)
        JOIN req q ON q.ord = v.req
        WHERE q.actual = q.expected
      ), head AS (
        UPDATE cohort_event_head SET global_position = global_position + (SELECT COUNT(*) FROM ok)
        WHERE id = 1 AND EXISTS (SELECT 1 FROM ok)
        RETURNING global_position
      ), ins AS (
        INSERT INTO cohort_event
          (global_position, stream_id, stream_version, event_type, payload, recorded_at)
        SELECT h.global_position - (SELECT COUNT(*) FROM ok) + ok.n,
               ok.stream_id, ok.stream_version, ok.event_type, ok.payload, ok.recorded_at
        FROM ok CROSS JOIN head h
      )
      SELECT q.ord, q.actual, (SELECT global_position FROM head) FROM req q ORDER BY q.ord
      """;

  private PostgresAppend() {}

  /**
   * Runs {@code batch} (each stream at most once) as one statement on {@code c}, which must be in
   * autocommit. Per request, in order: its {@link AppendResult} or its {@link
   * StreamVersionConflictException}.
   *
   * @throws SQLException when the statement failed as a whole; nothing was written
   */
  public static List<Object> run(Connection c, List<AppendRequest> batch) throws SQLException {
    int requests = batch.size();
    int events = 0;
    for (AppendRequest p : batch) {
      events += p.events().size();
    }
    String[] streams = new String[requests];
    Long[] expected = new Long[requests];
    Integer[] owner = new Integer[events];
    String[] types = new String[events];
    String[] payloads = new String[events];
    Long[] recordedAt = new Long[events];
    int e = 0;
    for (int i = 0; i < requests; i++) {
      AppendRequest p = batch.get(i);
      streams[i] = p.streamId();
      expected[i] = p.expectedVersion();
      for (EventData event : p.events()) {
        owner[e] = i + 1;
        types[e] = event.type();
        payloads[e] = event.payload();
        recordedAt[e] = p.recordedAt();
        e++;
      }
    }
    long[] actual = new long[requests];
    long head;
    try (PreparedStatement s = c.prepareStatement(SQL)) {
      List<Array> arrays =
          List.of(
              c.createArrayOf("text", streams),
              c.createArrayOf("int8", expected),
              c.createArrayOf("int4", owner),
              c.createArrayOf("text", types),
              c.createArrayOf("text", payloads),
              c.createArrayOf("int8", recordedAt));
      for (int i = 0; i < arrays.size(); i++) {
        s.setArray(i + 1, arrays.get(i));
      }
      try (ResultSet rs = s.executeQuery()) {
        head = 0;
        int row = 0;
        while (rs.next()) {
          int ord = rs.getInt(1);
          if (ord != ++row) {
            throw new SQLException("append statement returned request " + ord + " as row " + row);
          }
          actual[ord - 1] = rs.getLong(2);
          head = rs.getLong(3);
        }
        if (row != requests) {
          throw new SQLException(
              "append statement returned " + row + " rows for " + requests + " requests");
        }
      }
    }
    return outcomes(batch, actual, head);
  }

  /**
   * {@code batch} as consecutive rounds in which each stream appears at most once, for {@link #run}
   * (which checks every stream against its version before the batch): a stream's n-th request is in
   * round n, so its requests keep their order.
   */
  public static List<List<AppendRequest>> oneRequestPerStream(List<AppendRequest> batch) {
    List<List<AppendRequest>> rounds = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (AppendRequest p : batch) {
      int round = seen.merge(p.streamId(), 1, Integer::sum) - 1;
      if (round == rounds.size()) {
        rounds.add(new ArrayList<>());
      }
      rounds.get(round).add(p);
    }
    return rounds;
  }

  /** The same rule as the statement's {@code WHERE q.actual = q.expected}, with the positions. */
  private static List<Object> outcomes(List<AppendRequest> batch, long[] actual, long head) {
    long accepted = 0;
    for (int i = 0; i < batch.size(); i++) {
      if (actual[i] == batch.get(i).expectedVersion()) {
        accepted += batch.get(i).events().size();
      }
    }
    long position = head - accepted + 1;
    List<Object> outcomes = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      AppendRequest p = batch.get(i);
      if (actual[i] != p.expectedVersion()) {
        outcomes.add(
            new StreamVersionConflictException(p.streamId(), p.expectedVersion(), actual[i]));
        continue;
      }
      int n = p.events().size();
      outcomes.add(new AppendResult(p.expectedVersion() + n, position, position + n - 1));
      position += n;
    }
    return outcomes;
  }
}
