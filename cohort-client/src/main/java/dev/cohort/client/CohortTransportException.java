package dev.cohort.client;

import dev.cohort.api.CohortException;

/**
 * The coordinator server could not be reached, did not answer in time, or answered something the
 * protocol does not allow (a 5xx, a body that is not the documented JSON). The request may or may
 * not have taken effect: for a commit or an abort, ask {@link Cohort#outcome} before acting again.
 * Calling commit or abort again is safe (both are idempotent).
 */
public class CohortTransportException extends CohortException {
  private final int status;

  public CohortTransportException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status, or -1 when there was no answer. */
  public int status() {
    return status;
  }
}
