package dev.cohort.messaging;

import java.time.Instant;
import java.util.List;

/**
 * A choreographed saga as the tracker knows it: its status and every event seen, in the order they
 * happened.
 */
public record SagaView(
    String sagaId,
    SagaStatus status,
    Instant startedAt,
    Instant updatedAt,
    Instant deadline,
    List<Event> timeline) {
  public SagaView {
    timeline = List.copyOf(timeline);
  }

  /** One event of the timeline. */
  public record Event(String messageId, String type, SagaEventKind kind, Instant at) {}

  /** The event types of the timeline, in order. */
  public List<String> types() {
    return timeline.stream().map(Event::type).toList();
  }
}
