package dev.cohort.client;

import dev.cohort.api.CohortException;

/**
 * The coordinator server refused the client's token: 401 (none was sent) or 403 (it is not the
 * server's). Pass the token the server was started with ({@code cohort server --token} or {@code
 * COHORT_TOKEN}) to {@link Cohort#connect(java.net.URI, String)}.
 */
public class CohortAuthException extends CohortException {
  private final int status;

  public CohortAuthException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** 401 or 403. */
  public int status() {
    return status;
  }
}
