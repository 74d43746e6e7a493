package dev.cohort.api;

/** Two branches of one transaction were given the same id. */
public class DuplicateBranchException extends CohortException {
  public DuplicateBranchException(Gid gid, BranchId branchId) {
    super(
        "transaction "
            + gid
            + " already has a branch "
            + branchId
            + "; branch ids must be unique within a transaction (give the second one its own id)");
  }
}
