package dev.cohort.server.internal;

import dev.cohort.api.CohortException;
import dev.cohort.api.DuplicateBranchException;
import dev.cohort.api.DuplicateTransactionException;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.IllegalOperationException;
import dev.cohort.api.IllegalTransitionException;
import dev.cohort.api.InvalidDefinitionException;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.UnknownParticipantException;
import dev.cohort.api.UnknownTransactionException;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.spi.StoreException;

/**
 * Engine exceptions → API errors. Bad input is a 4xx, the log being unreachable a 503; only an
 * exception nobody anticipated is a 500, and that is a bug.
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
    return switch (e) {
      case ApiException api -> api;
      case InvalidDefinitionException d -> ApiException.badRequest(null, d.getMessage());
      case InvalidInputException i -> ApiException.badRequest(null, i.getMessage());
      case UnknownTransactionException u -> ApiException.notFound(u.getMessage());
      case IllegalOperationException o ->
          ApiException.conflict(o.getMessage(), o.status(), o.gid().value());
      case IllegalTransitionException t -> conflict(t, gidText);
      case DuplicateTransactionException t -> conflict(t, gidText);
      case DuplicateBranchException t -> conflict(t, gidText);
      case UnknownParticipantException p ->
          new ApiException(
              503,
              "unavailable",
              "this server cannot call HTTP participants (none is configured): " + p.getMessage(),
              null,
              null,
              null);
      case StoreException s -> unavailable(s);
      case IllegalStateException s ->
          new ApiException(503, "unavailable", s.getMessage(), null, null, null);
      default ->
          new ApiException(
              500,
              "internal",
              "the server failed unexpectedly (a bug; the log has the details): "
                  + e.getClass().getSimpleName(),
              null,
              null,
              null);
    };
  }

  static ApiException unavailable(StoreException s) {
    Throwable cause = s.getCause();
    return new ApiException(
        503,
        "unavailable",
        "the transaction log cannot be reached: "
            + s.getMessage()
            + (cause == null ? "" : " (" + cause.getMessage() + ")"),
        null,
        null,
        null);
  }

  /** A 409 that carries the transaction's current status when it can still be read. */
  private ApiException conflict(CohortException e, String gidText) {
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
