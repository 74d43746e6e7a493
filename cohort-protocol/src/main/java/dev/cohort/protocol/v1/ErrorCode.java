package dev.cohort.protocol.v1;

import dev.cohort.api.DuplicateBranchException;
import dev.cohort.api.DuplicateTransactionException;
import dev.cohort.api.IllegalOperationException;
import dev.cohort.api.IllegalTransitionException;
import dev.cohort.api.InvalidDefinitionException;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.UnknownParticipantException;
import dev.cohort.api.UnknownTransactionException;
import java.util.List;
import java.util.Optional;

/**
 * The error table of docs/protocol.md ("Errors"): the {@code error} code of a non-2xx answer, its
 * HTTP status, and the engine exceptions the server answers with it. The server maps exceptions to
 * codes with {@link #forException}; clients map the codes they receive back to exceptions by
 * switching over this enum.
 */
public enum ErrorCode {
  BAD_REQUEST(
      400, "bad_request", List.of(InvalidInputException.class, InvalidDefinitionException.class)),
  /** No credential on a request that needs one. */
  UNAUTHORIZED(401, "unauthorized", List.of()),
  /**
   * A token this server does not have, a role that may not do this, a refused participant
   * signature, or a participant asking about a gid that is not its own.
   */
  FORBIDDEN(403, "forbidden", List.of()),
  NOT_FOUND(404, "not_found", List.of(UnknownTransactionException.class)),
  METHOD_NOT_ALLOWED(405, "method_not_allowed", List.of()),
  CONFLICT(
      409,
      "conflict",
      List.of(
          IllegalOperationException.class,
          IllegalTransitionException.class,
          DuplicateTransactionException.class,
          DuplicateBranchException.class)),
  /** A TCC try that did not succeed: the transaction was rolled back. */
  REFUSED(409, "refused", List.of()),
  PAYLOAD_TOO_LARGE(413, "payload_too_large", List.of()),
  /** A request line longer than the server reads. */
  URI_TOO_LONG(414, "uri_too_long", List.of()),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type", List.of()),
  /** An HTTP version other than 1.1 (e.g. HTTP/1.0): the answer names the one to use. */
  UPGRADE_REQUIRED(426, "upgrade_required", List.of()),
  /** More connections from one client address than the server's cap; the connection is closed. */
  TOO_MANY_CONNECTIONS(429, "too_many_connections", List.of()),
  /** Request headers larger than the server reads. */
  HEADERS_TOO_LARGE(431, "headers_too_large", List.of()),
  INTERNAL(500, "internal", List.of()),
  /** The log cannot be reached, or the server cannot call participants. */
  UNAVAILABLE(
      503, "unavailable", List.of(UnknownParticipantException.class, IllegalStateException.class));

  private final int status;
  private final String code;
  private final List<Class<? extends RuntimeException>> thrownAs;

  ErrorCode(int status, String code, List<Class<? extends RuntimeException>> thrownAs) {
    this.status = status;
    this.code = code;
    this.thrownAs = thrownAs;
  }

  public int status() {
    return status;
  }

  /** The {@code error} field of the body. */
  public String code() {
    return code;
  }

  /** The code the server answers {@code e} with; empty for an exception nobody anticipated. */
  public static Optional<ErrorCode> forException(RuntimeException e) {
    for (ErrorCode c : values()) {
      for (Class<? extends RuntimeException> type : c.thrownAs) {
        if (type.isInstance(e)) {
          return Optional.of(c);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The code an answer carries; a code this client does not know (a newer server) falls back to the
   * first code of the answer's status, else {@link #INTERNAL} for 5xx and {@link #BAD_REQUEST}.
   */
  public static ErrorCode of(String code, int status) {
    for (ErrorCode c : values()) {
      if (c.code.equals(code) && c.status == status) {
        return c;
      }
    }
    for (ErrorCode c : values()) {
      if (c.status == status) {
        return c;
      }
    }
    return status >= 500 ? INTERNAL : BAD_REQUEST;
  }
}
