package dev.cohort.messaging;

/**
 * The outbox already has a row with this message id: the message was written before, or a
 * check-back closed the id because the local transaction had not committed in time. Roll the local
 * transaction back.
 */
public final class DuplicateMessageException extends InvalidMessageException {
  public DuplicateMessageException(String messageId) {
    super(
        "the outbox already has message id '"
            + messageId
            + "' (written before, or voided by a check-back that found no committed transaction);"
            + " roll this transaction back, and use a new id for a new message");
  }
}
