package dev.cohort.store.jdbc.internal;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.spi.ActivityBucket;
import dev.cohort.coordinator.spi.AuditRecord;
import dev.cohort.coordinator.spi.BranchSample;
import dev.cohort.coordinator.spi.GlobalRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the operator's console reads and writes beyond the engine's own queries: the audit trail
 * (table {@code cohort_audit}) and the overview's aggregates, each bounded by an index ({@code
 * created_at} of schema version 2, the claim's {@code (status, next_attempt_at)}) or a limit.
 */
public final class ConsoleQueries {
  /** Unfinished statuses, the ones the oldest-unfinished figure looks at (FAILED has its own). */
  private static final List<GlobalStatus> UNFINISHED =
      List.of(
          GlobalStatus.OPEN,
          GlobalStatus.BEGUN,
          GlobalStatus.COMMITTING,
          GlobalStatus.ROLLING_BACK);

  private static final String AUDIT_COLUMNS = "at_ms, actor, action, gid, detail, result";

  public void appendAudit(Connection c, AuditRecord r) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO cohort_audit (" + AUDIT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
      p.setLong(1, r.at().toEpochMilli());
      p.setString(2, r.actor());
      p.setString(3, r.action());
      p.setString(4, r.gid().value());
      p.setString(5, r.detail());
      p.setString(6, r.result());
      p.executeUpdate();
    }
  }

  public List<AuditRecord> audit(Connection c, Gid gid, int limit) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT " + AUDIT_COLUMNS + " FROM cohort_audit WHERE gid = ? ORDER BY id LIMIT ?")) {
      p.setString(1, gid.value());
      p.setInt(2, limit);
      return auditRows(p);
    }
  }

  public List<AuditRecord> recentAudit(Connection c, int limit) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT " + AUDIT_COLUMNS + " FROM cohort_audit ORDER BY id DESC LIMIT ?")) {
      p.setInt(1, limit);
      return auditRows(p);
    }
  }

  private static List<AuditRecord> auditRows(PreparedStatement p) throws SQLException {
    List<AuditRecord> found = new ArrayList<>();
    try (ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        found.add(
            new AuditRecord(
                Instant.ofEpochMilli(rs.getLong(1)),
                rs.getString(2),
                rs.getString(3),
                Gid.of(rs.getString(4)),
                rs.getString(5),
                rs.getString(6)));
      }
    }
    return found;
  }

  public List<ActivityBucket> activity(Connection c, Instant since, Duration bucket)
      throws SQLException {
    long width = bucket.toMillis();
    if (width < 1) {
      throw new IllegalArgumentException("bucket must be at least 1 ms, was " + bucket);
    }
    long from = since.toEpochMilli();
    List<ActivityBucket> found = new ArrayList<>();
    // Integer arithmetic the three databases agree on ('/' divides decimals on MariaDB); grouped
    // by position, because PostgreSQL cannot tell that two parameters hold the same value.
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT created_at - ((created_at - ?) % ?), status, COUNT(*) FROM cohort_global"
                + " WHERE created_at >= ? GROUP BY 1, 2")) {
      p.setLong(1, from);
      p.setLong(2, width);
      p.setLong(3, from);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          found.add(
              new ActivityBucket(
                  Instant.ofEpochMilli(rs.getLong(1)),
                  GlobalStatus.fromCode(rs.getString(2)),
                  rs.getLong(3)));
        }
      }
    }
    return found;
  }

  /**
   * One probe per unfinished status, then the earliest of those. "created_at + 0" keeps planners
   * from walking the created_at index in order looking for a status that may have no row at all (a
   * scan of the whole log); through the status index they sort only that status's rows, which are
   * the backlog.
   */
  public Optional<GlobalRecord> oldestUnfinished(Connection c) throws SQLException {
    GlobalRecord oldest = null;
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT "
                + Rows.GLOBAL_COLUMNS
                + " FROM cohort_global WHERE status = ? ORDER BY created_at + 0 LIMIT 1")) {
      for (GlobalStatus status : UNFINISHED) {
        p.setString(1, status.code());
        try (ResultSet rs = p.executeQuery()) {
          if (rs.next()) {
            GlobalRecord g = Rows.global(rs);
            if (oldest == null || g.createdAt().isBefore(oldest.createdAt())) {
              oldest = g;
            }
          }
        }
      }
    }
    return Optional.ofNullable(oldest);
  }

  public List<BranchSample> branchSample(Connection c, Instant since, int limit)
      throws SQLException {
    List<BranchSample> found = new ArrayList<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT b.participant, b.payload, b.attempts, b.last_error FROM cohort_branch b"
                + " JOIN (SELECT gid FROM cohort_global WHERE created_at >= ?"
                + " ORDER BY created_at DESC LIMIT ?) g ON g.gid = b.gid")) {
      p.setLong(1, since.toEpochMilli());
      p.setInt(2, limit);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          found.add(
              new BranchSample(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4)));
        }
      }
    }
    return found;
  }
}
