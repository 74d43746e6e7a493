package dev.cohort.eventstore.internal;

import dev.cohort.eventstore.AppendResult;
import dev.cohort.eventstore.EventData;
import java.sql.SQLException;
import java.util.List;

/** One caller's append, as the {@link Combiner} hands it to a batch; validated by the caller. */
public final class AppendRequest implements Combiner.Item {
  private final String streamId;
  private final long expectedVersion;
  private final List<EventData> events;
  private final long recordedAt;
  private AppendResult result;
  private Exception failure;

  public AppendRequest(
      String streamId, long expectedVersion, List<EventData> events, long recordedAt) {
    this.streamId = streamId;
    this.expectedVersion = expectedVersion;
    this.events = List.copyOf(events);
    this.recordedAt = recordedAt;
  }

  public String streamId() {
    return streamId;
  }

  public long expectedVersion() {
    return expectedVersion;
  }

  public List<EventData> events() {
    return events;
  }

  /** Epoch millis of the appending process's clock. */
  public long recordedAt() {
    return recordedAt;
  }

  @Override
  public boolean done() {
    return result != null || failure != null;
  }

  public void succeed(AppendResult r) {
    result = r;
  }

  public void fail(Exception e) {
    failure = e;
  }

  /** The result, or the failure rethrown (a conflict, a database error). */
  public AppendResult outcome() throws SQLException {
    if (failure instanceof SQLException e) {
      throw e;
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    return result;
  }
}
