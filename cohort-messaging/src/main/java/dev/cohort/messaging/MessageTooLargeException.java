package dev.cohort.messaging;

/** A payload over the outbox's configured limit; nothing was written. */
public final class MessageTooLargeException extends InvalidMessageException {
  private final int bytes;
  private final int limit;

  public MessageTooLargeException(String messageId, int bytes, int limit) {
    super(
        "message '"
            + messageId
            + "' has a "
            + bytes
            + "-byte payload, over the outbox's limit of "
            + limit
            + " bytes; send a reference to the data instead, or raise Outbox.Builder.maxPayloadBytes"
            + " (the broker's own limit still applies)");
    this.bytes = bytes;
    this.limit = limit;
  }

  public int bytes() {
    return bytes;
  }

  public int limit() {
    return limit;
  }
}
