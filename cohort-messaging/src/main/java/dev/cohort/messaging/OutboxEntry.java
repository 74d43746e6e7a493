package dev.cohort.messaging;

import java.time.Instant;
import java.util.Optional;

/**
 * One outbox row as read back: the message and what the relay did with it so far.
 *
 * @param seq the order of writing
 * @param lastError why the last attempt failed, or null
 * @param sentAt when the broker confirmed it, or null
 */
public record OutboxEntry(
    long seq,
    Message message,
    OutboxStatus status,
    int attempts,
    Instant nextAttemptAt,
    String lastError,
    Instant createdAt,
    Instant sentAt) {
  public Optional<String> error() {
    return Optional.ofNullable(lastError);
  }
}
