package dev.cohort.participant;

/**
 * The business change of one branch operation served by a {@link ParticipantEndpoint}. It runs
 * inside the barrier's local transaction on {@link BranchRequest#connection()}; it must not commit,
 * roll back or close that connection.
 *
 * <p>Return normally for success; throw {@link dev.cohort.api.ParticipantRefusedException} to
 * refuse (answered 409; only a try or an action may refuse); throw {@link
 * ParticipantInProgressException} when the operation is not finished yet (answered 425); anything
 * else is answered 500 and the coordinator retries. In every failing case the local transaction,
 * barrier row included, is rolled back.
 */
@FunctionalInterface
public interface BranchWork {
  void apply(BranchRequest request) throws Exception;
}
