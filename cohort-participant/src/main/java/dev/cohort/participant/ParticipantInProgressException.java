package dev.cohort.participant;

import dev.cohort.api.CohortException;

/**
 * Thrown by a participant's business code to say "the operation is still being worked on; ask
 * again": for example, the try started an asynchronous reservation that has not finished. {@link
 * ParticipantEndpoint} rolls the local transaction back (the barrier keeps no row, so the next call
 * runs the work again) and answers {@code 425 Too Early}; the coordinator polls a try or an action
 * again until its call timeout, and retries a confirm, cancel or compensate with backoff.
 */
public class ParticipantInProgressException extends CohortException {
  public ParticipantInProgressException(String message) {
    super(message);
  }
}
