package dev.cohort.replica;

import dev.cohort.replica.internal.ConsistencyContext;
import dev.cohort.replica.internal.CriticalScope;

/**
 * A scope whose writes commit only once a synchronous standby has applied them (PostgreSQL {@code
 * synchronous_commit = remote_apply}), and whose reads go to the primary. {@link #guarantee()} says
 * whether that was actually in force: without a synchronous standby PostgreSQL silently commits
 * locally, and MariaDB semi-sync only acknowledges receipt.
 *
 * <pre>{@code
 * try (CriticalWrite critical = routing.criticalWrite()) {
 *   ... write the payment ...
 *   if (!critical.guarantee().applyGuaranteed()) log.warn(...);
 * }
 * }</pre>
 */
public final class CriticalWrite implements Scope {
  private final CriticalScope state;
  private final ConsistencyContext.Frame frame;

  CriticalWrite(CriticalScope state) {
    this.state = state;
    this.frame = ConsistencyContext.current().pushCritical(state);
  }

  /** The weakest guarantee seen on the primary connections opened in this scope so far. */
  public SyncGuarantee guarantee() {
    return state.guarantee();
  }

  @Override
  public void close() {
    frame.close();
  }
}
