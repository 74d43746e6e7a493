package dev.cohort.participant;

import dev.cohort.protocol.Operation;

/**
 * Told when a {@link ParticipantEndpoint}'s work failed with an unexpected exception (answered
 * 500), so the participant can log it with its stack trace; the coordinator only sees a short
 * message. Not called for refusals (409) or in-progress answers (425). An exception it throws is
 * ignored.
 */
@FunctionalInterface
public interface EndpointErrorListener {
  void onError(String gid, String branchId, Operation op, Exception error);
}
