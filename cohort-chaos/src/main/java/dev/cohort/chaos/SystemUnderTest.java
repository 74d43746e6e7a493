package dev.cohort.chaos;

import dev.cohort.protocol.v1.CoordinatorClient;
import java.util.List;
import java.util.Optional;

/**
 * The plug-in point: the system the checker runs purchases against. Implement it once for your
 * system (a few dozen lines over its HTTP API); the checker brings the workload, the faults, the
 * quiescence wait, the generic invariants and the report.
 *
 * <p>{@link #purchase} is called from many threads at once and must be thread-safe.
 */
public interface SystemUnderTest extends AutoCloseable {
  /** The purchase modes this system runs (e.g. {@code tcc}, {@code saga}, {@code plain}). */
  List<PurchaseMode> modes();

  /**
   * Runs one purchase in {@code mode} under the global transaction id {@code gid} (the checker
   * makes gids unique per run; a coordinated mode must use it as the coordinator's gid) and returns
   * what the caller learned. Throwing counts as {@link PurchaseOutcome#FAILED}: the caller does not
   * know the outcome, the coordinator may still carry the transaction to an end.
   */
  PurchaseOutcome purchase(String mode, String gid) throws Exception;

  /** Asks the coordinator for the final status of every coordinated purchase (read-only use). */
  CoordinatorClient coordinator();

  /** The coordinator's process, when the checker may kill and restart it. */
  default Optional<Restartable> coordinatorProcess() {
    return Optional.empty();
  }

  /** Participant service processes the checker may kill and restart. */
  default List<Restartable> participantProcesses() {
    return List.of();
  }

  /**
   * Whether the system has finished what the coordinator cannot see, e.g. reservations its
   * participants still hold and will settle by asking the coordinator (presumed abort): the checker
   * waits for this as well as for every known transaction to end before it checks the invariants.
   * The default: nothing of the kind.
   */
  default boolean settled() throws Exception {
    return true;
  }

  /**
   * The system's own faults (e.g. one that arms a service's fault switch), injected by {@link
   * ChaosChecker.Builder#systemFaultsEvery}.
   */
  default List<Fault> faults() {
    return List.of();
  }

  /**
   * Disarms what {@link #faults()} armed and has not fired yet; called once the workload has ended
   * and the faults have stopped, before the checker waits for quiescence.
   */
  default void clearFaults() throws Exception {}

  /**
   * Every confirm/cancel/action/compensate the participants applied (not those the barrier
   * skipped); when present the checker adds the exactly-once invariant.
   */
  default Optional<EffectLedger> ledger() {
    return Optional.empty();
  }

  /**
   * The system's own invariants, e.g. money and stock conserved and nothing left frozen (see {@link
   * Invariants#conserved} and {@link Invariants#allZero}).
   */
  default List<Invariant> invariants() {
    return List.of();
  }

  /** Stops what the system started for the run (processes, clients). */
  @Override
  default void close() {}
}
