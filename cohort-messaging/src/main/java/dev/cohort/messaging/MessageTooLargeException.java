package dev.cohort.messaging;

/**
 * A payload over the outbox's configured limit (nothing was written), or a message over a broker's
 * limit (nothing was published).
 */
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

  /**
   * A message over another component's limit (a broker's largest message), with {@code reason}
   * saying whose limit and what to change.
   */
  public MessageTooLargeException(String messageId, int bytes, int limit, String reason) {
    super(
        "message '"
            + messageId
            + "' is "
            + bytes
            + " bytes, over "
            + reason
            + " of "
            + limit
            + " bytes; send a reference to the data instead");
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
