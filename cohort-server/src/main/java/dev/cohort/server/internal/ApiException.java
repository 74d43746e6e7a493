package dev.cohort.server.internal;

import dev.cohort.api.GlobalStatus;

/**
 * A request the API answers with a non-2xx status and the error body of docs/protocol.md. Thrown
 * from validation and from the mapping of engine exceptions; the router turns it into the answer.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;
  private final String field;
  private final transient GlobalStatus txStatus;
  private final String gid;

  public ApiException(
      int status, String error, String message, String field, GlobalStatus txStatus, String gid) {
    super(message, null, false, false);
    this.status = status;
    this.error = error;
    this.field = field;
    this.txStatus = txStatus;
    this.gid = gid;
  }

  public static ApiException badRequest(String field, String message) {
    return new ApiException(400, "bad_request", message, field, null, null);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message, null, null, null);
  }

  public static ApiException conflict(String message, GlobalStatus current, String gid) {
    return new ApiException(409, "conflict", message, null, current, gid);
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  /** The request field that was wrong; null when the error is not about one field. */
  public String field() {
    return field;
  }

  /** The transaction's status for a 409; null otherwise. */
  public GlobalStatus txStatus() {
    return txStatus;
  }

  public String gid() {
    return gid;
  }
}
