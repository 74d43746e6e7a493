package dev.cohort.coordinator.spi;

import dev.cohort.api.CohortException;

/** The log could not be read or written; the cause says why. Nothing was half-written. */
public class StoreException extends CohortException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
