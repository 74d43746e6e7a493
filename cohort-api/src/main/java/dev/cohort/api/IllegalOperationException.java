package dev.cohort.api;

/**
 * An operation that the transaction's current status does not permit, e.g. resolving a live one.
 */
public class IllegalOperationException extends CohortException {
  private final Gid gid;
  private final GlobalStatus status;

  public IllegalOperationException(Gid gid, GlobalStatus status, String message) {
    super("transaction " + gid + " is " + status.code() + ": " + message);
    this.gid = gid;
    this.status = status;
  }

  public Gid gid() {
    return gid;
  }

  public GlobalStatus status() {
    return status;
  }
}
