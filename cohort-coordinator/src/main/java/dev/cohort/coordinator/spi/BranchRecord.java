package dev.cohort.coordinator.spi;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;

/**
 * One branch as the log holds it: enough to call its participant again after a crash.
 *
 * @param seq position in the transaction; saga steps run in this order and compensate in reverse
 * @param participant the name the participant was registered under in the engine
 * @param forward for saga steps: forward recovery (retry until it succeeds) instead of backward
 * @param attempts calls of the branch's current operation that did not succeed
 * @param lastError the last failure, for operators; null when none
 */
public record BranchRecord(
    Gid gid,
    BranchId branchId,
    int seq,
    String participant,
    String payload,
    boolean forward,
    BranchStatus status,
    int attempts,
    String lastError) {

  public BranchRecord withStatus(BranchStatus newStatus) {
    return new BranchRecord(
        gid, branchId, seq, participant, payload, forward, newStatus, attempts, lastError);
  }

  public BranchRecord withFailure(String error) {
    return new BranchRecord(
        gid, branchId, seq, participant, payload, forward, status, attempts + 1, error);
  }
}
