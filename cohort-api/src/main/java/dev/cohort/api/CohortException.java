package dev.cohort.api;

/** Base of every exception Cohort throws on purpose; unchecked, like the JDK's own. */
public class CohortException extends RuntimeException {
  public CohortException(String message) {
    super(message);
  }

  public CohortException(String message, Throwable cause) {
    super(message, cause);
  }
}
