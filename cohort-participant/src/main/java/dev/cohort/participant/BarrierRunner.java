package dev.cohort.participant;

import dev.cohort.protocol.Operation;

/**
 * Runs one barrier call of a {@link ParticipantEndpoint} in the participant's local transaction.
 * The default, {@link #OWN_TRANSACTION}, lets the barrier open and commit the transaction itself
 * ({@link Barrier#run}). A framework that manages transactions (the Spring Boot starter) supplies
 * one that opens its own transaction and calls {@link Barrier#runIn} on that transaction's
 * connection, so business code written with the framework's data access commits together with the
 * barrier row.
 */
@FunctionalInterface
public interface BarrierRunner {
  /** The barrier owns the local transaction: {@link Barrier#run}. */
  BarrierRunner OWN_TRANSACTION = Barrier::run;

  /**
   * Runs {@code work} guarded by {@code barrier} in one local transaction, committed when this
   * returns normally and rolled back when it throws.
   *
   * @return what the barrier did; only {@link BarrierResult#APPLIED} ran {@code work}
   */
  BarrierResult run(
      Barrier barrier, String gid, String branchId, Operation op, BarrierWork<Exception> work)
      throws Exception;
}
