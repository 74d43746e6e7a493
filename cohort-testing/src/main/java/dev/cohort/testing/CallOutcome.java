package dev.cohort.testing;

/** How one call to a participant ended, as its caller saw it. */
public enum CallOutcome {
  /** Done (HTTP 200). */
  SUCCEEDED,
  /** Refused on business grounds ({@code ParticipantRefusedException}, HTTP 409). */
  REFUSED,
  /** Any other failure: the coordinator treats it as transient and retries. */
  FAILED
}
