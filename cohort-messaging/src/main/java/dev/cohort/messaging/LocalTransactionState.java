package dev.cohort.messaging;

/** What a check-back found about the local transaction that was to write a message. */
public enum LocalTransactionState {
  /** The message is in the outbox: the local transaction committed. */
  COMMITTED,
  /**
   * The message is not there, and now never will be: the check-back closed its id, so a transaction
   * still running fails on the key instead of committing late.
   */
  ROLLED_BACK
}
