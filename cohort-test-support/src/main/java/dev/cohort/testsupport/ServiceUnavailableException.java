package dev.cohort.testsupport;

/** A service a test needs is not configured or does not answer. */
public final class ServiceUnavailableException extends RuntimeException {
  public ServiceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public ServiceUnavailableException(String message) {
    super(message);
  }
}
