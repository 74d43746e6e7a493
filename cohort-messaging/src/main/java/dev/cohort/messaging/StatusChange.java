package dev.cohort.messaging;

/**
 * One status change of an outbox or inbox row, after its compare-and-set succeeded; for metrics,
 * logs and the tests that prove every legal transition is exercised.
 *
 * @param from null when the row was just written
 */
public record StatusChange<S extends Enum<S>>(String messageId, S from, S to) {}
