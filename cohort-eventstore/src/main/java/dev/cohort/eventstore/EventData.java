package dev.cohort.eventstore;

/**
 * An event to append.
 *
 * @param type what happened, e.g. {@code OrderPlaced} (1 to 200 characters)
 * @param payload its data, e.g. JSON
 */
public record EventData(String type, String payload) {
  public EventData {
    if (type == null || type.isBlank() || type.length() > 200) {
      throw new IllegalArgumentException(
          "event type must be 1 to 200 characters and not blank, got '" + type + "'");
    }
    if (payload == null) {
      throw new IllegalArgumentException("payload of event '" + type + "' must not be null");
    }
  }

  public static EventData of(String type, String payload) {
    return new EventData(type, payload);
  }
}
