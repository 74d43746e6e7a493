package dev.cohort.cache;

/**
 * Where work is registered to run once the current transaction has committed (and dropped if it
 * rolls back). {@link JdbcTransaction} is the plain-JDBC implementation; a framework with its own
 * transaction synchronisation (Spring's {@code TransactionSynchronizationManager}) implements this
 * in a few lines.
 */
@FunctionalInterface
public interface CommitHooks {
  /** Runs {@code action} on the committing thread right after the commit succeeded. */
  void afterCommit(Runnable action);
}
