package dev.cohort.eventstore;

import java.time.Instant;

/**
 * An aggregate's state folded up to a version of its stream, so that loading it reads only the
 * events after.
 *
 * @param streamId the stream
 * @param streamVersion the last event folded into it
 * @param payload the state
 * @param takenAt when it was saved
 */
public record Snapshot(String streamId, long streamVersion, String payload, Instant takenAt) {}
