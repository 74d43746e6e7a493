package dev.cohort.api;

/** No transaction with this gid is in the log. */
public class UnknownTransactionException extends CohortException {
  private final Gid gid;

  public UnknownTransactionException(Gid gid) {
    super(
        "no transaction with gid "
            + gid
            + " is in the log; check the gid, and that this engine uses the same store as the one"
            + " that began it");
    this.gid = gid;
  }

  public Gid gid() {
    return gid;
  }
}
