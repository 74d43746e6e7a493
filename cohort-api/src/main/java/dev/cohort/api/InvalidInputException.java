package dev.cohort.api;

/** An argument was malformed: an empty id, an unknown code, a bad option value. */
public class InvalidInputException extends CohortException {
  public InvalidInputException(String message) {
    super(message);
  }
}
