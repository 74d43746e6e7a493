package dev.cohort.protocol.v1;

import java.util.List;

/**
 * {@code GET /v1/transactions}: one page of the list, ordered by gid.
 *
 * @param next the gid to pass as {@code after} for the following page; null (written as JSON null)
 *     when this page is not full
 */
public record TransactionPage(List<TransactionSummary> transactions, String next) {
  public TransactionPage {
    transactions = transactions == null ? List.of() : List.copyOf(transactions);
  }
}
