package dev.cohort.coordinator;

/**
 * Where the recovery a start began stands. Recovery runs in the background: the engine takes new
 * transactions (and a server answers) while it resumes what a previous run left unfinished.
 *
 * @param recovering true until every transaction recovery found has been driven once
 * @param resumed unfinished transactions of this node that recovery took up so far
 * @param settled of those, how many it has driven once (finished, or handed to the retry poller)
 */
public record RecoveryProgress(boolean recovering, long resumed, long settled) {
  /** Transactions recovery is driving right now. */
  public long inFlight() {
    return resumed - settled;
  }
}
