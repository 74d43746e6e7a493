package dev.cohort.participant;

import java.time.Instant;
import java.util.Objects;

/**
 * A branch this participant tried (and so holds resources for: frozen money, reserved stock) and
 * has not yet seen confirmed or cancelled.
 *
 * @param gid the global transaction id
 * @param branchId the branch id, as the coordinator sent it with the try
 * @param payload the branch payload the try received; confirm and cancel are run with it
 * @param heldSince when the try committed
 */
public record HeldBranch(String gid, String branchId, String payload, Instant heldSince) {
  public HeldBranch {
    Objects.requireNonNull(gid, "gid");
    Objects.requireNonNull(branchId, "branchId");
    Objects.requireNonNull(heldSince, "heldSince");
  }
}
