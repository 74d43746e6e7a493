package dev.cohort.eventstore;

/** An append that cannot be right whatever the stream holds (e.g. a negative expected version). */
public final class InvalidAppendException extends IllegalArgumentException {
  public InvalidAppendException(String message) {
    super(message);
  }
}
