package dev.cohort.server.internal;

import dev.cohort.api.GlobalStatus;
import dev.cohort.protocol.v1.ErrorCode;

/**
 * A request the API answers with a non-2xx status and the error body of docs/protocol.md. Thrown
 * from validation and from the mapping of engine exceptions; the router turns it into the answer.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient ErrorCode code;
  private final String field;
  private final transient GlobalStatus txStatus;
  private final String gid;

  public ApiException(
      ErrorCode code, String message, String field, GlobalStatus txStatus, String gid) {
    super(message, null, false, false);
    this.code = code;
    this.field = field;
    this.txStatus = txStatus;
    this.gid = gid;
  }

  public static ApiException badRequest(String field, String message) {
    return new ApiException(ErrorCode.BAD_REQUEST, message, field, null, null);
  }

  public static ApiException notFound(String message) {
    return new ApiException(ErrorCode.NOT_FOUND, message, null, null, null);
  }

  public static ApiException conflict(String message, GlobalStatus current, String gid) {
    return new ApiException(ErrorCode.CONFLICT, message, null, current, gid);
  }

  public ErrorCode code() {
    return code;
  }

  public int status() {
    return code.status();
  }

  public String error() {
    return code.code();
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
