package dev.cohort.messaging;

import java.time.Instant;

/**
 * One inbox row: a message a consumer applied or parked.
 *
 * @param reason why it was parked, or null
 */
public record InboxEntry(
    String consumer, Message message, InboxStatus status, String reason, Instant receivedAt) {}
