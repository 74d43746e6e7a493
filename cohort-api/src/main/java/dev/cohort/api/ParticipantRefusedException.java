package dev.cohort.api;

/**
 * Thrown by a participant to refuse on business grounds (insufficient funds, out of stock). From a
 * try or a saga action it rolls the transaction back; it is never retried. From confirm, cancel or
 * compensate it is a contract violation: the transaction becomes FAILED for an operator instead of
 * being retried forever. Any other exception is treated as transient.
 */
public class ParticipantRefusedException extends CohortException {
  public ParticipantRefusedException(String reason) {
    super(reason);
  }

  /**
   * @param answer what carried the refusal (an HTTP participant's 409), for the attempt history
   */
  public ParticipantRefusedException(String reason, Throwable answer) {
    super(reason, answer);
  }
}
