package dev.cohort.testing;

/** What a {@link FaultInjector} did to one call. */
public enum Fault {
  /** Passed through unchanged. */
  NONE,
  /** Answered as a transient failure without reaching the participant. */
  FAIL,
  /** Reached the participant after a pause. */
  DELAY,
  /** Held until released (then passed on) or until its hang timed out (then failed). */
  HANG,
  /** Answered as a business refusal without reaching the participant. */
  REFUSE,
  /** Passed to the participant twice; the caller got the second answer. */
  DUPLICATE,
  /**
   * Reached the participant, which acted on it, but its answer never came back: the caller sees a
   * transient failure. A network partition right after delivery.
   */
  ANSWER_LOST,
  /**
   * A try (or saga action) held back and answered as a transient failure; it reaches the
   * participant right after its cancel (or compensation) did, as a delayed network packet would.
   */
  DELIVER_AFTER_ROLLBACK
}
