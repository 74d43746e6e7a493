package dev.cohort.api;

/**
 * Where a transaction stands when the call that drove it returns. COMMITTED and ROLLED_BACK are
 * final; COMMITTING and ROLLING_BACK mean the decision is durable and delivery continues in the
 * background; BEGUN means a forward saga step is being retried; FAILED waits for an operator.
 *
 * @param reason why it rolled back or failed; null when it committed
 */
public record Outcome(Gid gid, GlobalStatus status, String reason) {
  public boolean committed() {
    return status == GlobalStatus.COMMITTED || status == GlobalStatus.COMMITTING;
  }
}
