package dev.cohort.spring;

/**
 * The business change of one operation of a {@link TccEndpoint} or {@link SagaEndpoint}, given the
 * branch payload decoded to {@code T}. Runs inside the Spring transaction that also writes the
 * barrier row, so it commits exactly once or not at all. Throw {@link
 * dev.cohort.api.ParticipantRefusedException} to refuse a try or an action (409), {@link
 * dev.cohort.participant.ParticipantInProgressException} when not finished yet (425); anything else
 * is a 500 that the coordinator retries.
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface BranchHandler<T> {
  void handle(T payload, BranchCall call) throws Exception;
}
