package dev.cohort.coordinator.http;

import dev.cohort.api.CohortException;
import java.net.URI;

/**
 * A call to an HTTP participant did not succeed for a reason that may pass: an unexpected status, a
 * timeout, a connection error, or a participant still busy (425). The coordinator treats it as
 * transient: it retries the call with backoff (a try or an action that fails this way rolls the
 * transaction back).
 */
public class ParticipantCallException extends CohortException {
  private final String op;
  private final URI url;
  private final int status;

  public ParticipantCallException(String message, String op, URI url, int status, Throwable cause) {
    super(message, cause);
    this.op = op;
    this.url = url;
    this.status = status;
  }

  /** try, confirm, cancel, action or compensate. */
  public String op() {
    return op;
  }

  public URI url() {
    return url;
  }

  /** The HTTP status the participant answered, or -1 when it did not answer. */
  public int status() {
    return status;
  }

  /** Whether the participant answered 425: it is still working on the operation. */
  public boolean inProgress() {
    return status == 425;
  }
}
