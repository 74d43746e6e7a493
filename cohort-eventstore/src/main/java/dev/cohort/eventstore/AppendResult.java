package dev.cohort.eventstore;

/**
 * What an append wrote.
 *
 * @param streamVersion the stream's version now (its last event's)
 * @param firstPosition the global position of the first event appended
 * @param lastPosition the global position of the last event appended
 */
public record AppendResult(long streamVersion, long firstPosition, long lastPosition) {}
