package dev.cohort.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.jdbc.Database;
import dev.cohort.testing.time.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The event store on one database; one subclass per database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EventStoreContract {
  private static final AtomicLong IDS = new AtomicLong();

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  DataSource ds;
  EventStore store;

  abstract DataSource open() throws Exception;

  abstract Database database();

  void close() throws Exception {}

  @BeforeAll
  void setUp() throws Exception {
    ds = open();
    store = EventStore.builder(ds, database()).clock(clock).build();
    store.createSchema();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS projected");
      s.execute(
          "CREATE TABLE projected (global_position BIGINT PRIMARY KEY, stream_id VARCHAR(200) NOT"
              + " NULL, event_type VARCHAR(200) NOT NULL)");
    }
  }

  @AfterAll
  void tearDown() throws Exception {
    close();
  }

  private static String stream() {
    return "order-" + IDS.incrementAndGet() + "-" + System.nanoTime();
  }

  private static List<EventData> events(String... types) {
    return java.util.Arrays.stream(types)
        .map(t -> EventData.of(t, "{\"t\":\"" + t + "\"}"))
        .toList();
  }

  @Test
  void appendsNumberTheStreamFromOneAndTakeTheNextGlobalPositions() throws Exception {
    String order = stream();
    long head = store.headPosition();

    AppendResult first = store.append(order, 0, events("Placed", "Paid"));
    AppendResult second = store.append(order, 2, events("Shipped"));

    assertThat(first).isEqualTo(new AppendResult(2, head + 1, head + 2));
    assertThat(second).isEqualTo(new AppendResult(3, head + 3, head + 3));
    assertThat(store.streamVersion(order)).isEqualTo(3);
    assertThat(store.readStream(order, 1))
        .extracting(
            RecordedEvent::streamVersion, RecordedEvent::type, RecordedEvent::globalPosition)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, "Placed", head + 1),
            org.assertj.core.groups.Tuple.tuple(2L, "Paid", head + 2),
            org.assertj.core.groups.Tuple.tuple(3L, "Shipped", head + 3));
    assertThat(store.readStream(order, 3))
        .extracting(RecordedEvent::type)
        .containsExactly("Shipped");
    assertThat(store.readStream(order, 1).get(0).payload()).isEqualTo("{\"t\":\"Placed\"}");
    assertThat(store.readStream(order, 1).get(0).recordedAt()).isEqualTo(clock.instant());
  }

  @Test
  void anAppendAtAStaleVersionConflictsNamingStreamAndVersionsAndWritesNothing() throws Exception {
    String order = stream();
    store.append(order, 0, events("Placed"));
    long head = store.headPosition();

    assertThatThrownBy(() -> store.append(order, 0, events("Placed again")))
        .isInstanceOf(StreamVersionConflictException.class)
        .hasMessageContaining("stream '" + order + "': expected version 0 but it is at 1")
        .satisfies(e -> {
          StreamVersionConflictException c = (StreamVersionConflictException) e;
          assertThat(c.streamId()).isEqualTo(order);
          assertThat(c.expectedVersion()).isZero();
          assertThat(c.actualVersion()).isEqualTo(1);
        });
    assertThat(store.streamVersion(order)).isEqualTo(1);
    assertThat(store.headPosition()).isEqualTo(head); // no position was used up
  }

  @Test
  void badAppendsAreTypedErrorsNamingTheStreamAndWriteNothing() throws Exception {
    String order = stream();
    long head = store.headPosition();
    assertThatThrownBy(() -> store.append(order, -1, events("Placed")))
        .isInstanceOf(InvalidAppendException.class)
        .hasMessageContaining("stream '" + order + "' with expected version -1");
    assertThatThrownBy(() -> store.append(order, 0, List.of()))
        .isInstanceOf(InvalidAppendException.class)
        .hasMessageContaining("'" + order + "' has no events");
    assertThatThrownBy(() -> store.append(" ", 0, events("Placed")))
        .isInstanceOf(InvalidAppendException.class)
        .hasMessageContaining("got ' '");
    assertThatThrownBy(() -> EventData.of("", "{}")).hasMessageContaining("got ''");
    assertThat(store.streamVersion(order)).isZero();
    assertThat(store.headPosition()).isEqualTo(head);
  }

  @Test
  void ofConcurrentAppendsAtTheSameVersionExactlyOneWins() throws Exception {
    String order = stream();
    store.append(order, 0, events("Placed"));
    List<Object> outcomes = runConcurrently(6, i -> store.append(order, 1, events("Paid by " + i)));

    assertThat(outcomes).filteredOn(o -> o instanceof AppendResult).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o instanceof StreamVersionConflictException).hasSize(5);
    assertThat(store.streamVersion(order)).isEqualTo(2);
  }

  @Test
  void concurrentAppendsToManyStreamsGetGaplessUniquePositions() throws Exception {
    long head = store.headPosition();
    List<Object> outcomes =
        runConcurrently(
            4,
            i -> {
              String s = stream();
              for (int v = 0; v < 5; v++) {
                store.append(s, v, events("E" + v));
              }
              return s;
            });
    assertThat(outcomes).allMatch(o -> o instanceof String);

    List<RecordedEvent> all = store.readAll(head, 1000);
    assertThat(all)
        .extracting(RecordedEvent::globalPosition)
        .containsExactlyElementsOf(LongStream.rangeClosed(head + 1, head + 20).boxed().toList());
    for (Object s : outcomes) {
      assertThat(store.readStream((String) s, 1))
          .extracting(RecordedEvent::streamVersion)
          .containsExactly(1L, 2L, 3L, 4L, 5L);
    }
  }

  /**
   * Concurrent appends of one store are combined into shared transactions; each caller still gets
   * its own outcome: a conflict in a batch fails only its caller and takes no position.
   */
  @Test
  void combinedAppendsKeepTheirOwnOutcomesAndConflictsTakeNoPosition() throws Exception {
    String shared = stream();
    store.append(shared, 0, events("Opened"));
    long head = store.headPosition();
    List<Object> outcomes =
        runConcurrently(
            12,
            i ->
                i % 2 == 0
                    ? store.append(shared, 1, events("Claimed by " + i))
                    : store.append(stream(), 0, events("A" + i, "B" + i)));

    assertThat(outcomes.stream().filter(o -> o instanceof AppendResult).count()).isEqualTo(7);
    assertThat(outcomes).filteredOn(o -> o instanceof StreamVersionConflictException).hasSize(5);
    assertThat(store.streamVersion(shared)).isEqualTo(2);
    assertThat(store.readAll(head, 1000))
        .extracting(RecordedEvent::globalPosition)
        .containsExactlyElementsOf(LongStream.rangeClosed(head + 1, head + 13).boxed().toList());
  }

  /**
   * The property a projection's checkpoint rests on: a reader that has read up to position p never
   * later finds an event below p. Two stores on the same database (two processes), four writers
   * each, and a reader that moves its checkpoint the way {@link ProjectionRunner} does; the reader
   * must see every position in order without a hole, and in the end every event exactly once.
   */
  @Test
  void aReaderNeverSkipsAnEventThatCommitsLaterWithALowerPosition() throws Exception {
    EventStore other = EventStore.builder(ds, database()).clock(clock).build();
    long start = store.headPosition();
    int writers = 8;
    int appendsEach = 25;
    AtomicReference<String> hole = new AtomicReference<>();
    List<Long> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicBoolean writing =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread reader =
        new Thread(() -> {
          long checkpoint = start;
          try {
            while (true) {
              boolean last = !writing.get();
              for (RecordedEvent e : store.readAll(checkpoint, 50)) {
                if (e.globalPosition() != checkpoint + 1 && hole.get() == null) {
                  hole.set("after " + checkpoint + " the reader found " + e.globalPosition());
                }
                checkpoint = e.globalPosition();
                seen.add(checkpoint);
              }
              if (last && checkpoint == store.headPosition()) {
                return;
              }
            }
          } catch (SQLException e) {
            hole.compareAndSet(null, "reader failed: " + e);
          }
        });
    reader.start();
    List<Object> outcomes;
    try {
      outcomes =
          runConcurrently(
              writers,
              i -> {
                EventStore mine = i % 2 == 0 ? store : other;
                String s = stream();
                for (int v = 0; v < appendsEach; v++) {
                  mine.append(s, v, events("E" + v));
                }
                return s;
              });
    } finally {
      writing.set(false);
    }
    reader.join(Duration.ofSeconds(60).toMillis());
    assertThat(outcomes).allMatch(o -> o instanceof String);
    assertThat(hole.get()).as("a hole the reader would have skipped").isNull();
    assertThat(seen)
        .containsExactlyElementsOf(
            LongStream.rangeClosed(start + 1, start + (long) writers * appendsEach)
                .boxed()
                .toList());
  }

  @Test
  void theLatestSnapshotIsKeptAndLoadingReadsOnlyTheEventsAfterIt() throws Exception {
    String order = stream();
    store.append(order, 0, events("Placed", "Paid", "Packed"));
    assertThat(store.loadSnapshot(order)).isEmpty();

    store.saveSnapshot(order, 2, "{\"state\":\"paid\"}");
    store.saveSnapshot(order, 1, "{\"state\":\"placed\"}"); // older: ignored
    Snapshot snapshot = store.loadSnapshot(order).orElseThrow();

    assertThat(snapshot.streamVersion()).isEqualTo(2);
    assertThat(snapshot.payload()).isEqualTo("{\"state\":\"paid\"}");
    assertThat(store.readStream(order, snapshot.streamVersion() + 1))
        .extracting(RecordedEvent::type)
        .containsExactly("Packed");
    store.saveSnapshot(order, 3, "{\"state\":\"packed\"}");
    assertThat(store.loadSnapshot(order).orElseThrow().streamVersion()).isEqualTo(3);
  }

  @Test
  void aProjectionRebuildsFromZeroAndResumesFromItsCheckpoint() throws Exception {
    TableProjection projection = new TableProjection("totals-" + IDS.incrementAndGet());
    store.append(stream(), 0, events("A", "B"));
    long all = store.headPosition();

    ProjectionRunner runner = ProjectionRunner.of(store, projection, 3);
    assertThat(runner.rebuild()).isEqualTo(all);
    assertThat(runner.checkpoint()).isEqualTo(all);

    store.append(stream(), 0, events("C", "D", "E"));
    // A new runner (another process, a restart) continues from the stored checkpoint.
    ProjectionRunner restarted = ProjectionRunner.of(store, projection, 3);
    assertThat(restarted.catchUp()).isEqualTo(3);
    assertThat(restarted.checkpoint()).isEqualTo(all + 3);
    assertThat(projectedCount()).isEqualTo(all + 3);

    assertThat(restarted.rebuild()).isEqualTo(all + 3); // from zero: reset, every event again
    assertThat(projectedCount()).isEqualTo(all + 3);
  }

  @Test
  void aBatchThatFailsMovesNeitherTheCheckpointNorTheProjectionsTable() throws Exception {
    TableProjection projection = new TableProjection("failing-" + IDS.incrementAndGet());
    ProjectionRunner runner = ProjectionRunner.of(store, projection, 1000);
    runner.rebuild();
    long before = runner.checkpoint();
    String order = stream();
    store.append(order, 0, events("Ok", "Poison", "Later"));
    projection.failOn.set("Poison");

    assertThatThrownBy(runner::catchUp).hasMessageContaining("cannot project Poison");
    assertThat(runner.checkpoint()).isEqualTo(before);
    assertThat(projectedCount()).isEqualTo(before);

    projection.failOn.set(null);
    assertThat(runner.catchUp())
        .isEqualTo(3); // each applied once: the table's key would refuse twice
    assertThat(projectedCount()).isEqualTo(before + 3);
  }

  @Test
  void replayStopsAtThePointInTime() throws Exception {
    String order = stream();
    Instant t0 = clock.instant();
    store.append(order, 0, events("Placed"));
    clock.advance(Duration.ofMinutes(1));
    store.append(order, 1, events("Paid"));
    Instant t1 = clock.instant();
    clock.advance(Duration.ofMinutes(1));
    store.append(order, 2, events("Refunded"));

    List<String> seen = new ArrayList<>();
    store.replayUntil(
        t1,
        e -> {
          if (e.streamId().equals(order)) {
            seen.add(e.type());
          }
        });
    assertThat(seen).containsExactly("Placed", "Paid");
    seen.clear();
    store.replayUntil(t0.minusMillis(1), e -> seen.add(e.type()));
    assertThat(seen).doesNotContain("Placed", "Paid", "Refunded");
  }

  @Test
  void theSchemaIsCurrentAfterCreationAndExportable() throws Exception {
    assertThat(store.createSchema().changed()).isFalse();
    store.verifySchema();
    assertThat(store.schemaStatements()).anyMatch(s -> s.contains("CREATE TABLE cohort_event"));
  }

  // --- helpers --------------------------------------------------------------------------------

  /** Keeps one row per event in table {@code projected}; its primary key refuses a second apply. */
  private static final class TableProjection implements Projection {
    private final String name;
    final AtomicReference<String> failOn = new AtomicReference<>();

    TableProjection(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void reset(Connection c) throws SQLException {
      try (Statement s = c.createStatement()) {
        s.executeUpdate("DELETE FROM projected");
      }
    }

    @Override
    public void apply(Connection c, RecordedEvent e) throws SQLException {
      if (e.type().equals(failOn.get())) {
        throw new IllegalStateException("cannot project " + e.type());
      }
      try (PreparedStatement s = c.prepareStatement("INSERT INTO projected VALUES (?, ?, ?)")) {
        s.setLong(1, e.globalPosition());
        s.setString(2, e.streamId());
        s.setString(3, e.type());
        s.executeUpdate();
      }
    }
  }

  private long projectedCount() throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM projected")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @FunctionalInterface
  interface Task {
    Object run(int i) throws Exception;
  }

  /** Starts {@code n} tasks at once; each one's result, or the exception it threw. */
  private static List<Object> runConcurrently(int n, Task task) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Object>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(
            pool.submit(() -> {
              start.await();
              try {
                return task.run(index);
              } catch (Exception e) {
                return e;
              }
            }));
      }
      start.countDown();
      List<Object> out = new ArrayList<>();
      for (Future<Object> f : futures) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
