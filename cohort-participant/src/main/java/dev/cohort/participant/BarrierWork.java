package dev.cohort.participant;

import java.sql.Connection;

/**
 * The business change of one branch operation. It runs on the barrier's connection, inside the
 * local transaction that also holds the barrier row; it must not commit, roll back or close it.
 *
 * @param <E> what the business code may throw; it reaches the caller unchanged
 */
@FunctionalInterface
public interface BarrierWork<E extends Exception> {
  void apply(Connection connection) throws E;
}
