package dev.cohort.messaging;

/** The database failed the outbox's, inbox's, tracker's or journal's own SQL. */
public class MessagingException extends RuntimeException {
  public MessagingException(String message, Throwable cause) {
    super(message, cause);
  }

  public MessagingException(String message) {
    super(message);
  }
}
