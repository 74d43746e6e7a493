package dev.cohort.eventstore;

import dev.cohort.eventstore.internal.EventSql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * Feeds a {@link Projection} the events in global position order and remembers how far it got (its
 * checkpoint, in {@code cohort_projection_checkpoint}).
 *
 * <p>Each batch is one transaction: lock the checkpoint row, read the events after it, apply them,
 * move the checkpoint. A projection whose state lives in the same database therefore applies every
 * event exactly once, across crashes and concurrent runners of the same projection (the second
 * waits for the first's batch, then continues after it).
 */
public final class ProjectionRunner {
  /** Events per transaction unless set otherwise. */
  public static final int DEFAULT_BATCH_SIZE = 500;

  private final EventStore store;
  private final Projection projection;
  private final String name;
  private final int batchSize;

  private ProjectionRunner(EventStore store, Projection projection, int batchSize) {
    this.store = Objects.requireNonNull(store, "store");
    this.projection = Objects.requireNonNull(projection, "projection");
    this.name = projection.name();
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new IllegalArgumentException(
          "projection name must be 1 to 200 characters and not blank, got '" + name + "'");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException(
          "batch size of projection '" + name + "' must be 1 or more, got " + batchSize);
    }
    this.batchSize = batchSize;
  }

  public static ProjectionRunner of(EventStore store, Projection projection) {
    return new ProjectionRunner(store, projection, DEFAULT_BATCH_SIZE);
  }

  public static ProjectionRunner of(EventStore store, Projection projection, int batchSize) {
    return new ProjectionRunner(store, projection, batchSize);
  }

  /** The global position of the last event applied (0: none). */
  public long checkpoint() throws SQLException {
    return store.inTransaction(c -> {
      ensureRow(c);
      return EventStore.queryLong(
          c, "SELECT global_position FROM cohort_projection_checkpoint WHERE name = ?", name);
    });
  }

  /**
   * Forgets the projection's state ({@link Projection#reset}) and its checkpoint in one
   * transaction, then applies every event from the first.
   *
   * @return how many events were applied
   */
  public long rebuild() throws SQLException {
    store.inTransaction(c -> {
      lockRow(c);
      projection.reset(c);
      EventStore.update(
          c,
          "UPDATE cohort_projection_checkpoint SET global_position = 0, updated_at = ? WHERE"
              + " name = ?",
          store.clock().millis(),
          name);
      return null;
    });
    return catchUp();
  }

  /**
   * Applies the events after the checkpoint, in batches, until there are none.
   *
   * @return how many events were applied
   */
  public long catchUp() throws SQLException {
    long applied = 0;
    while (true) {
      int n = store.inTransaction(this::batch);
      applied += n;
      if (n < batchSize) {
        return applied;
      }
    }
  }

  private int batch(Connection c) throws SQLException {
    long from = lockRow(c);
    List<RecordedEvent> events = store.readAll(c, from, batchSize);
    for (RecordedEvent e : events) {
      projection.apply(c, e);
    }
    if (!events.isEmpty()) {
      EventStore.update(
          c,
          "UPDATE cohort_projection_checkpoint SET global_position = ?, updated_at = ? WHERE name"
              + " = ?",
          events.getLast().globalPosition(),
          store.clock().millis(),
          name);
    }
    return events.size();
  }

  /** Locks the checkpoint row (creating it at 0) and returns its position. */
  private long lockRow(Connection c) throws SQLException {
    ensureRow(c);
    EventStore.update(
        c, "UPDATE cohort_projection_checkpoint SET updated_at = updated_at WHERE name = ?", name);
    return EventStore.queryLong(
        c, "SELECT global_position FROM cohort_projection_checkpoint WHERE name = ?", name);
  }

  private void ensureRow(Connection c) throws SQLException {
    EventStore.update(
        c,
        EventSql.insertIfAbsent(
            store.database(),
            "cohort_projection_checkpoint",
            "name, global_position, updated_at",
            3,
            "name"),
        name,
        0L,
        store.clock().millis());
  }
}
