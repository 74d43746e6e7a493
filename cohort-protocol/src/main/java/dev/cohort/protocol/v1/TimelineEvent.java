package dev.cohort.protocol.v1;

/**
 * One moment of a {@link TransactionDetail}'s timeline.
 *
 * @param at ISO-8601 UTC text
 * @param event {@code created}, {@code delivery_started}, or the status code the change produced
 */
public record TimelineEvent(String at, String event) {}
