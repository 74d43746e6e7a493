package dev.cohort.client;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import java.time.Instant;
import java.util.List;

/**
 * A transaction and its branches, the same whether read from the embedded log or from the server's
 * {@code GET /v1/transactions/{gid}}.
 *
 * @param reason why it rolled back, failed or was resolved; null otherwise
 * @param deadline when an open transaction (or a TCC try phase) is rolled back if not finished
 * @param attempts delivery rounds that failed so far
 */
public record TransactionInfo(
    Gid gid,
    Mode mode,
    GlobalStatus status,
    String reason,
    Instant createdAt,
    Instant updatedAt,
    Instant deadline,
    int attempts,
    List<BranchInfo> branches) {
  public TransactionInfo {
    branches = List.copyOf(branches);
  }
}
