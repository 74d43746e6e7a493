package dev.cohort.protocol.v1;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;

/**
 * {@code GET /v1/transactions/{gid}/outcome}: what a participant asks about its transaction.
 *
 * @param decision {@code commit}, {@code rollback}, or null (written as JSON null) when none is
 *     decided or a resolved transaction was settled by hand
 * @param terminal the JSON field {@code final}: whether the status is terminal
 */
public record ParticipantOutcome(
    String gid, String status, String decision, @JsonProperty("final") boolean terminal) {
  /**
   * The answer for a transaction in {@code status}; {@code resume} is the status a FAILED one would
   * return to on retry (null otherwise), which tells the phase it failed in.
   */
  public static ParticipantOutcome of(Gid gid, GlobalStatus status, GlobalStatus resume) {
    return new ParticipantOutcome(
        gid.value(), status.code(), decision(status, resume), status.isTerminal());
  }

  /**
   * What the coordinator decided: null while the outcome is open. A FAILED transaction keeps the
   * decision of the phase it failed in; a RESOLVED one was settled by hand, so there is none to
   * report.
   */
  public static String decision(GlobalStatus status, GlobalStatus resume) {
    return switch (status) {
      case COMMITTING, COMMITTED -> "commit";
      case ROLLING_BACK, ROLLED_BACK -> "rollback";
      case FAILED -> resume == null ? null : decision(resume, null);
      default -> null;
    };
  }
}
