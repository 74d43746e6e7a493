package dev.cohort.server.internal;

import dev.cohort.api.CohortException;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.IllegalOperationException;
import dev.cohort.api.UnknownParticipantException;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.spi.StoreException;
import dev.cohort.protocol.v1.ErrorCode;

/**
 * Engine exceptions → API errors by the protocol's {@link ErrorCode} table. Bad input is a 4xx, the
 * log being unreachable a 503; only an exception nobody anticipated is a 500, and that is a bug.
 */
public final class ErrorMapper {
  private final Coordinator coordinator;

  public ErrorMapper(Coordinator coordinator) {
    this.coordinator = coordinator;
  }

  /**
   * The API error for {@code e}.
   *
   * @param gidText the gid of the request's path, when there is one (for a 409's status)
   */
  public ApiException map(RuntimeException e, String gidText) {
    switch (e) {
      case ApiException api -> {
        return api;
      }
      case StoreException s -> {
        return unavailable(s);
      }
      case UnknownParticipantException p -> {
        return new ApiException(
            ErrorCode.UNAVAILABLE,
            "this server cannot call HTTP participants (none is configured): " + p.getMessage(),
            null,
            null,
            null);
      }
      case IllegalOperationException o -> {
        return ApiException.conflict(o.getMessage(), o.status(), o.gid().value());
      }
      default -> {
        // the protocol's table below
      }
    }
    ErrorCode code = ErrorCode.forException(e).orElse(ErrorCode.INTERNAL);
    return switch (code) {
      case CONFLICT -> conflict(e, gidText);
      case INTERNAL ->
          new ApiException(
              ErrorCode.INTERNAL,
              "the server failed unexpectedly (a bug; the log has the details): "
                  + e.getClass().getSimpleName(),
              null,
              null,
              null);
      default -> new ApiException(code, e.getMessage(), null, null, null);
    };
  }

  static ApiException unavailable(StoreException s) {
    Throwable cause = s.getCause();
    return new ApiException(
        ErrorCode.UNAVAILABLE,
        "the transaction log cannot be reached: "
            + s.getMessage()
            + (cause == null ? "" : " (" + cause.getMessage() + ")"),
        null,
        null,
        null);
  }

  /** A 409 that carries the transaction's current status when it can still be read. */
  private ApiException conflict(RuntimeException e, String gidText) {
    GlobalStatus status = null;
    if (gidText != null) {
      try {
        status = coordinator.find(Gid.of(gidText)).status();
      } catch (CohortException ignored) {
        // the conflict is answered without a status
      }
    }
    return ApiException.conflict(e.getMessage(), status, gidText);
  }
}
