package dev.cohort.api;

/** A transaction with this gid is already in the log. */
public class DuplicateTransactionException extends CohortException {
  public DuplicateTransactionException(Gid gid, Throwable cause) {
    super(
        "a transaction with gid "
            + gid
            + " already exists in the log; use a fresh gid (Gid.random()) for each transaction",
        cause);
  }
}
