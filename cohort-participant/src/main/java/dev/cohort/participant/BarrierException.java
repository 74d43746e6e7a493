package dev.cohort.participant;

import dev.cohort.protocol.Operation;

/**
 * The barrier could not do its own work (the database failed or refused the barrier's SQL). The
 * local transaction was rolled back; the business code's own exceptions are never wrapped in this.
 */
public class BarrierException extends RuntimeException {
  private final String gid;
  private final String branchId;
  private final Operation op;

  public BarrierException(
      String message, String gid, String branchId, Operation op, Throwable cause) {
    super(message + " [gid=" + gid + ", branch=" + branchId + ", op=" + op + "]", cause);
    this.gid = gid;
    this.branchId = branchId;
    this.op = op;
  }

  public String gid() {
    return gid;
  }

  public String branchId() {
    return branchId;
  }

  public Operation op() {
    return op;
  }

  /** Whether calling again with the same arguments may succeed. */
  public boolean retryable() {
    return false;
  }
}
