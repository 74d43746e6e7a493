package dev.cohort.messaging;

import java.time.Instant;
import java.util.Optional;

/**
 * A message waiting for an operator: an outbox row the relay gave up on (DEAD), or a message a
 * consumer parked (PARKED).
 *
 * @param consumer the consumer that parked it; null for an outbox dead letter
 * @param attempts the relay's publish attempts (0 for a parked message: it was delivered once)
 * @param reason the relay's last error, or the consumer's reason for parking it
 * @param since when the relay gave up, or when the consumer received it
 */
public record DeadLetter(
    String consumer, Message message, int attempts, String reason, Instant since) {

  /** The consumer that parked it; empty for an outbox dead letter. */
  public Optional<String> inbox() {
    return Optional.ofNullable(consumer);
  }

  /** Where it waits, for listings: {@code outbox} or {@code inbox:<consumer>}. */
  public String where() {
    return consumer == null ? "outbox" : "inbox:" + consumer;
  }
}
