package dev.cohort.messaging;

/**
 * Thrown by an {@link InboxHandler} for a message that will never apply as it is (a payload that
 * does not parse, a field out of range): the inbox parks it with this reason instead of letting the
 * broker redeliver it forever.
 */
public class UnprocessableMessageException extends RuntimeException {
  public UnprocessableMessageException(String reason) {
    super(reason);
  }

  public UnprocessableMessageException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
