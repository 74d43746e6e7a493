package dev.cohort.participant;

/** What the barrier did with one call. Only {@link #APPLIED} ran the business code. */
public enum BarrierResult {
  /** First arrival: the business code ran and committed together with the barrier row. */
  APPLIED,
  /** The same (gid, branch, op) was already applied or skipped; nothing ran. Answer success. */
  DUPLICATE_SKIPPED,
  /**
   * A cancel (or compensate) arrived before its try (or action) had ever run: the try is recorded
   * as cancelled and the business code is skipped, since there is nothing to undo. Answer success.
   */
  EMPTY_ROLLBACK,
  /**
   * A try (or action) arrived after its cancel (or compensate): running it would reserve resources
   * nobody releases (hanging). Nothing ran; answer "refused" so the coordinator does not count it
   * as a successful try.
   */
  REFUSED_AFTER_CANCEL;

  /**
   * Whether the participant should answer success to the coordinator: everything but a refused try
   * (or action).
   */
  public boolean successful() {
    return this != REFUSED_AFTER_CANCEL;
  }

  /** Whether the business code ran. */
  public boolean applied() {
    return this == APPLIED;
  }
}
