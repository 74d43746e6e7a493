package dev.cohort.protocol.v1;

/**
 * One transaction in a {@link TransactionPage}: its gid, mode and status codes, reason and times
 * (ISO-8601 UTC text). Every field is written, null ones as JSON null.
 */
public record TransactionSummary(
    String gid, String mode, String status, String reason, String createdAt, String updatedAt) {}
