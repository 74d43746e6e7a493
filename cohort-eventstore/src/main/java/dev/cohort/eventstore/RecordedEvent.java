package dev.cohort.eventstore;

import java.time.Instant;

/**
 * An event as stored.
 *
 * @param globalPosition its place among all events: gapless, in commit order, from 1
 * @param streamId the stream (aggregate) it belongs to
 * @param streamVersion its place in the stream, from 1
 * @param type what happened
 * @param payload its data
 * @param recordedAt when it was appended (the appending process's clock)
 */
public record RecordedEvent(
    long globalPosition,
    String streamId,
    long streamVersion,
    String type,
    String payload,
    Instant recordedAt) {}
