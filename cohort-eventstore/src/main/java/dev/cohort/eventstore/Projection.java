package dev.cohort.eventstore;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A read model built from the events. {@link ProjectionRunner} calls it inside the transaction that
 * also moves its checkpoint, so a projection that keeps its state in tables of the same database
 * applies every event exactly once.
 */
public interface Projection {
  /** Its name, the key of its checkpoint (1 to 200 characters). */
  String name();

  /** Forgets everything, before a rebuild from the first event. */
  void reset(Connection c) throws SQLException;

  /** Applies one event, in global position order. */
  void apply(Connection c, RecordedEvent event) throws SQLException;
}
