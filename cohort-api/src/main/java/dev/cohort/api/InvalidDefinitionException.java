package dev.cohort.api;

/** A transaction definition that cannot run: a saga without steps, malformed JSON, ... */
public class InvalidDefinitionException extends CohortException {
  public InvalidDefinitionException(String message) {
    super(message);
  }

  public InvalidDefinitionException(String message, Throwable cause) {
    super(message, cause);
  }
}
