package dev.cohort.api;

import java.util.List;

/** A status change that the transition table does not allow. */
public class IllegalTransitionException extends CohortException {
  private final Gid gid;
  private final BranchId branchId;
  private final String from;
  private final String to;

  public IllegalTransitionException(
      Gid gid, BranchId branchId, String from, String to, List<String> allowed) {
    super(
        (branchId == null ? "transaction " + gid : "branch " + branchId + " of transaction " + gid)
            + " cannot move from "
            + from
            + " to "
            + to
            + (allowed.isEmpty()
                ? "; " + from + " is terminal"
                : "; from " + from + " it may move to " + String.join(", ", allowed)));
    this.gid = gid;
    this.branchId = branchId;
    this.from = from;
    this.to = to;
  }

  public Gid gid() {
    return gid;
  }

  /** The branch, or null when the global status was changing. */
  public BranchId branchId() {
    return branchId;
  }

  public String from() {
    return from;
  }

  public String to() {
    return to;
  }
}
