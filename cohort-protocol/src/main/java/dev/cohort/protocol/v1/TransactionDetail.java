package dev.cohort.protocol.v1;

import java.util.List;

/**
 * {@code GET /v1/transactions/{gid}}: the transaction with its branches (by {@code seq}) and the
 * timeline its timestamps reveal. Codes and times (ISO-8601 UTC text) are as the log holds them;
 * every field is written, null ones as JSON null.
 *
 * @param attempts failed delivery rounds of the current phase; while {@code open}, the branches
 *     registered so far
 */
public record TransactionDetail(
    String gid,
    String mode,
    String status,
    String reason,
    boolean parallel,
    String createdAt,
    String updatedAt,
    String deadline,
    int attempts,
    String nextAttemptAt,
    String owner,
    String leaseUntil,
    List<BranchDetail> branches,
    List<TimelineEvent> timeline) {
  public TransactionDetail {
    branches = branches == null ? List.of() : List.copyOf(branches);
    timeline = timeline == null ? List.of() : List.copyOf(timeline);
  }
}
