package dev.cohort.eventstore.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.eventstore.AppendResult;
import dev.cohort.eventstore.EventData;
import dev.cohort.eventstore.EventStore;
import dev.cohort.eventstore.RecordedEvent;
import dev.cohort.eventstore.StreamVersionConflictException;
import dev.cohort.jdbc.Database;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The one-statement batch on the PostgreSQL primary of {@code scripts/services}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresAppendIT {
  private TestServices services;
  private DataSource ds;
  private EventStore store;

  @BeforeAll
  void setUp() throws Exception {
    services = TestServices.load();
    ds = services.postgres().isolated("eventstore_batch_it").primary();
    store = EventStore.builder(ds, Database.POSTGRESQL).build();
    store.createSchema();
  }

  @AfterAll
  void tearDown() {
    services.close();
  }

  private static AppendRequest request(String stream, long expected, String... types) {
    return new AppendRequest(
        stream,
        expected,
        java.util.Arrays.stream(types).map(t -> EventData.of(t, "{}")).toList(),
        7);
  }

  @Test
  void oneStatementChecksEachRequestAndGivesTheAcceptedOnesConsecutivePositions() throws Exception {
    String a = "batch-a-" + System.nanoTime();
    String b = "batch-b-" + System.nanoTime();
    String c = "batch-c-" + System.nanoTime();
    store.append(b, 0, List.of(EventData.of("Opened", "{}")));
    long head = store.headPosition();

    List<Object> outcomes;
    try (Connection conn = ds.getConnection()) {
      outcomes =
          PostgresAppend.run(
              conn,
              List.of(request(a, 0, "A1", "A2"), request(b, 0, "stale"), request(c, 0, "C1")));
    }

    assertThat(outcomes.get(0)).isEqualTo(new AppendResult(2, head + 1, head + 2));
    assertThat(outcomes.get(1))
        .isInstanceOfSatisfying(
            StreamVersionConflictException.class,
            e -> {
              assertThat(e.expectedVersion()).isZero();
              assertThat(e.actualVersion()).isEqualTo(1);
            });
    assertThat(outcomes.get(2)).isEqualTo(new AppendResult(1, head + 3, head + 3));
    assertThat(store.headPosition()).isEqualTo(head + 3);
    assertThat(store.readAll(head, 10))
        .extracting(RecordedEvent::streamId, RecordedEvent::streamVersion, RecordedEvent::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(a, 1L, "A1"),
            org.assertj.core.groups.Tuple.tuple(a, 2L, "A2"),
            org.assertj.core.groups.Tuple.tuple(c, 1L, "C1"));
  }

  @Test
  void aBatchOfConflictsOnlyTakesNoPosition() throws Exception {
    String a = "batch-stale-" + System.nanoTime();
    store.append(a, 0, List.of(EventData.of("Opened", "{}")));
    long head = store.headPosition();

    List<Object> outcomes;
    try (Connection conn = ds.getConnection()) {
      outcomes = PostgresAppend.run(conn, List.of(request(a, 3, "late")));
    }

    assertThat(outcomes).singleElement().isInstanceOf(StreamVersionConflictException.class);
    assertThat(store.headPosition()).isEqualTo(head);
    assertThat(store.streamVersion(a)).isEqualTo(1);
  }
}
