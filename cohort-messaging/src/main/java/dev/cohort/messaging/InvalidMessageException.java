package dev.cohort.messaging;

import dev.cohort.api.InvalidInputException;

/** A message the outbox refuses before anything is written; the message says what to fix. */
public class InvalidMessageException extends InvalidInputException {
  public InvalidMessageException(String message) {
    super(message);
  }
}
