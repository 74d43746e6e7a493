package dev.cohort.client;

import dev.cohort.api.Gid;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;

/**
 * An open transaction: register its branches, then {@link #commit()} or {@link #abort()}. An open
 * transaction that is neither committed nor aborted before its deadline is rolled back by the
 * coordinator. Not meant for concurrent use by several threads.
 */
public interface Transaction {
  Gid gid();

  Mode mode();

  /**
   * Adds a branch. TCC: the coordinator logs the branch and calls its try before this returns.
   * Saga: the step is logged and runs at {@link #commit()}.
   *
   * @return this, for chaining
   * @throws TransactionRolledBackException the TCC try refused, failed or timed out; the
   *     transaction was rolled back
   * @throws dev.cohort.api.IllegalOperationException the transaction is no longer open
   * @throws dev.cohort.api.InvalidInputException the branch does not fit (e.g. a saga branch in a
   *     TCC transaction, an in-process branch over {@link Cohort#connect})
   */
  Transaction register(Branch branch);

  /**
   * TCC: decides commit and confirms every branch. Saga: runs the steps in order. Returns when the
   * transaction has an outcome or waits for a retry ({@code committing} / {@code begun}: the
   * coordinator keeps delivering with backoff). Idempotent.
   */
  Outcome commit();

  /** Rolls the open transaction back; idempotent once rolled back. */
  Outcome abort();
}
