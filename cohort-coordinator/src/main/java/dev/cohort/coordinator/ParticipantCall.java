package dev.cohort.coordinator;

import dev.cohort.api.BranchContext;

/**
 * One operation of a participant. Return normally for success; throw {@link
 * dev.cohort.api.ParticipantRefusedException} to refuse on business grounds; anything else is a
 * transient failure.
 */
@FunctionalInterface
public interface ParticipantCall {
  void call(BranchContext context) throws Exception;
}
