package dev.cohort.messaging;

/**
 * The broker did not take a batch: unreachable, a negative or missing confirm, a message no queue
 * was bound for. The relay keeps the messages pending and tries again with backoff.
 */
public class BrokerException extends Exception {
  public BrokerException(String message, Throwable cause) {
    super(message, cause);
  }

  public BrokerException(String message) {
    super(message);
  }
}
