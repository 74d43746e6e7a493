package dev.cohort.replica;

/**
 * What a critical write's commit was promised by replication.
 *
 * @param applyGuaranteed whether a commit returned only after a standby had applied it (PostgreSQL
 *     {@code synchronous_commit = remote_apply} with a synchronous standby connected)
 * @param mechanism {@code remote_apply}, {@code semi-sync} or {@code none}
 * @param detail what was checked, in words, for logs and reports
 */
public record SyncGuarantee(boolean applyGuaranteed, String mechanism, String detail) {}
