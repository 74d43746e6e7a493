package dev.cohort.coordinator;

import dev.cohort.api.BranchId;
import dev.cohort.api.InvalidInputException;

/**
 * A branch to register: what {@link Coordinator#register} takes, as one value so that {@link
 * Coordinator#open(dev.cohort.api.Mode, java.time.Duration, dev.cohort.api.Gid, BranchSpec)} can
 * write it together with the transaction.
 *
 * @param participant a registered TCC participant or saga step name, matching the mode
 * @param payload handed to the participant on every call; may be null
 * @param forward saga only: retry this step until it succeeds instead of compensating
 */
public record BranchSpec(BranchId id, String participant, String payload, boolean forward) {
  public BranchSpec {
    if (id == null) {
      throw new InvalidInputException("a branch needs an id, e.g. BranchId.of(\"stock\")");
    }
    if (participant == null || participant.isBlank()) {
      throw new InvalidInputException(
          "branch " + id + " needs the name of a registered participant");
    }
  }
}
