package dev.cohort.xa;

import java.util.List;

/**
 * What one {@link XaTransactionManager#recover} run did.
 *
 * @param committed in-doubt branches committed because the log holds the commit decision
 * @param rolledBack in-doubt branches rolled back because it holds none (presumed abort)
 * @param foreign prepared branches of other managers or nodes, left alone
 * @param completed logged transactions found finished and marked COMMITTED
 * @param failed transactions marked FAILED for a heuristic outcome, with the details
 * @param unresolved branches recovery could not reach this time (the next run tries again)
 */
public record RecoveryReport(
    int committed,
    int rolledBack,
    int foreign,
    int completed,
    List<String> failed,
    List<String> unresolved) {
  public RecoveryReport {
    failed = List.copyOf(failed);
    unresolved = List.copyOf(unresolved);
  }
}
