package dev.cohort.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One message, as written to the outbox, published to the broker and handed to an inbox.
 *
 * @param id unique across every message of the outbox (a UUID, or the business event's own id); the
 *     inbox deduplicates on it
 * @param destination where the broker routes it (a RabbitMQ routing key, a Kafka topic)
 * @param key the aggregate it is about (e.g. the order id): messages with one key are published in
 *     the order they were written
 * @param type what happened (e.g. "order.placed"); consumers pick their handler by it
 * @param sagaId the choreographed saga it belongs to, or null
 * @param payload the body, usually JSON
 */
public record Message(
    String id, String destination, String key, String type, String sagaId, String payload) {
  /** Longest id or saga id, in characters: the width of their columns. */
  public static final int MAX_ID_LENGTH = 128;

  /** Longest destination, key or type, in characters. */
  public static final int MAX_NAME_LENGTH = 255;

  private static final Pattern DESTINATION = Pattern.compile("[A-Za-z0-9_.:-]{1,255}");

  /** Checks every field; throws {@link InvalidMessageException} naming the bad one. */
  public Message {
    requireId("id", id, "a unique message id, e.g. a UUID");
    if (destination == null || !DESTINATION.matcher(destination).matches()) {
      throw new InvalidMessageException(
          "destination '"
              + destination
              + "' must be 1-255 letters, digits or . _ : - (a routing key such as"
              + " 'orders.placed')");
    }
    requireName("key", key, "the aggregate's id, e.g. the order id");
    requireName("type", type, "what happened, e.g. 'order.placed'");
    if (sagaId != null) {
      requireId("sagaId", sagaId, "the saga's id, or null when the message belongs to none");
    }
    if (payload == null) {
      throw new InvalidMessageException("payload must not be null; pass \"{}\" for none");
    }
  }

  /** A message that belongs to no saga. */
  public static Message of(String id, String destination, String key, String type, String payload) {
    return new Message(id, destination, key, type, null, payload);
  }

  public Optional<String> saga() {
    return Optional.ofNullable(sagaId);
  }

  /** The payload's size in UTF-8 bytes, which the outbox compares with its limit. */
  public int payloadBytes() {
    return payload.getBytes(StandardCharsets.UTF_8).length;
  }

  private static void requireId(String name, String value, String what) {
    if (value == null || value.isBlank()) {
      throw new InvalidMessageException(
          name + " must not be " + (value == null ? "null" : "blank") + "; pass " + what);
    }
    if (value.length() > MAX_ID_LENGTH || !value.strip().equals(value)) {
      throw new InvalidMessageException(
          name
              + " '"
              + abbreviate(value)
              + "' must be at most "
              + MAX_ID_LENGTH
              + " characters without leading or trailing whitespace; pass "
              + what);
    }
  }

  private static void requireName(String name, String value, String what) {
    if (value == null || value.isBlank() || value.length() > MAX_NAME_LENGTH) {
      throw new InvalidMessageException(
          name
              + " '"
              + abbreviate(value)
              + "' must be 1-"
              + MAX_NAME_LENGTH
              + " characters, not blank; pass "
              + what);
    }
  }

  private static String abbreviate(String value) {
    return value == null || value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }
}
