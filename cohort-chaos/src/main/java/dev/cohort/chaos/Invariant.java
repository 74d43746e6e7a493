package dev.cohort.chaos;

import java.util.List;

/**
 * A property the system must have once every transaction is terminal. The checker calls {@link
 * #beforeRun()} before the first purchase (e.g. to read the totals a conservation check compares
 * with) and {@link #check} after quiescence. A check that throws is reported as a violation of this
 * invariant, never swallowed.
 */
public interface Invariant {
  /** A short stable name, e.g. {@code money-conserved}; the report and exit message carry it. */
  String name();

  default void beforeRun() throws Exception {}

  /** The violations found; empty when the invariant holds. */
  List<Violation> check(RunRecord run) throws Exception;
}
