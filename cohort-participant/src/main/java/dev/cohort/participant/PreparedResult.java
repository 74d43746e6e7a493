package dev.cohort.participant;

/** What a call on a prepared branch did; every value is a success the coordinator may see twice. */
public enum PreparedResult {
  /** 3PC can-commit: a yes vote; nothing is locked. */
  VOTED,
  /** The work ran and its local transaction is now prepared (a yes vote). */
  PREPARED,
  /** A repeated prepare: the branch is prepared already. */
  ALREADY_PREPARED,
  /** The prepared transaction was committed now. */
  COMMITTED,
  /** A repeated commit (or a prepare after the commit): it was committed before. */
  ALREADY_COMMITTED,
  /** The prepared transaction was rolled back now. */
  ROLLED_BACK,
  /** A repeated rollback. */
  ALREADY_ROLLED_BACK,
  /**
   * A rollback for a branch that never prepared: recorded, so that a prepare arriving late is
   * refused instead of leaving locks nobody releases.
   */
  EMPTY_ROLLBACK
}
