package dev.cohort.messaging;

import java.sql.Connection;

/**
 * Applies one message type on the consumer's connection, inside the transaction that also records
 * the message id. Throw {@link UnprocessableMessageException} for a message that can never apply
 * (it is parked with your reason); any other exception rolls back and the broker redelivers.
 */
@FunctionalInterface
public interface InboxHandler {
  void apply(Connection connection, Message message) throws Exception;
}
