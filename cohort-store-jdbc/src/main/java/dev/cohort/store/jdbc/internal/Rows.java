package dev.cohort.store.jdbc.internal;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** Maps records to rows and back. Times are epoch milliseconds; statuses their readable codes. */
final class Rows {
  static final String GLOBAL_COLUMNS =
      "gid, mode, status, resume_status, parallel_tries, deadline_at, next_attempt_at, attempts,"
          + " phase_started_at, lease_owner, lease_until, reason, created_at, updated_at";

  static final String BRANCH_COLUMNS =
      "gid, branch_id, seq, participant, payload, forward_recovery, status, attempts, last_error";

  static final int GLOBAL_COLUMN_COUNT = 14;
  static final int BRANCH_COLUMN_COUNT = 9;
  static final String INSERT_GLOBAL_PREFIX =
      "INSERT INTO cohort_global (" + GLOBAL_COLUMNS + ") VALUES ";
  static final String INSERT_BRANCH_PREFIX =
      "INSERT INTO cohort_branch (" + BRANCH_COLUMNS + ") VALUES ";

  static final String INSERT_GLOBAL =
      "INSERT INTO cohort_global (" + GLOBAL_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

  static final String INSERT_BRANCH =
      "INSERT INTO cohort_branch (" + BRANCH_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)";

  /** The compare-and-set every status change goes through. */
  static final String CAS_GLOBAL =
      "UPDATE cohort_global SET status = ?, resume_status = ?, next_attempt_at = ?, attempts = ?,"
          + " phase_started_at = ?, lease_owner = ?, lease_until = ?, reason = ?, updated_at = ?"
          + " WHERE gid = ? AND status = ? AND (? < 0 OR attempts = ?)";

  static final String CAS_BRANCH =
      "UPDATE cohort_branch SET status = ?, attempts = ?, last_error = ?"
          + " WHERE gid = ? AND branch_id = ? AND status = ?";

  static final String ADVANCE_BRANCHES =
      "UPDATE cohort_branch SET status = ? WHERE gid = ? AND status = ?";

  private Rows() {}

  static void bindInsert(PreparedStatement p, GlobalRecord g) throws SQLException {
    bindInsert(p, 0, g);
  }

  static void bindInsert(PreparedStatement p, BranchRecord b) throws SQLException {
    bindInsert(p, 0, b);
  }

  /** Binds the row's columns at parameters {@code base+1 ... base+14}. */
  static void bindInsert(PreparedStatement p, int base, GlobalRecord g) throws SQLException {
    p.setString(base + 1, g.gid().value());
    p.setString(base + 2, g.mode().code());
    p.setString(base + 3, g.status().code());
    p.setString(base + 4, g.resumeStatus() == null ? null : g.resumeStatus().code());
    p.setShort(base + 5, (short) (g.parallel() ? 1 : 0));
    p.setLong(base + 6, g.deadline().toEpochMilli());
    p.setLong(base + 7, g.nextAttemptAt().toEpochMilli());
    p.setInt(base + 8, g.attempts());
    setMillis(p, base + 9, g.phaseStartedAt());
    p.setString(base + 10, g.owner());
    p.setLong(base + 11, g.leaseUntil().toEpochMilli());
    p.setString(base + 12, g.reason());
    p.setLong(base + 13, g.createdAt().toEpochMilli());
    p.setLong(base + 14, g.updatedAt().toEpochMilli());
  }

  static void bindInsert(PreparedStatement p, int base, BranchRecord b) throws SQLException {
    p.setString(base + 1, b.gid().value());
    p.setString(base + 2, b.branchId().value());
    p.setInt(base + 3, b.seq());
    p.setString(base + 4, b.participant());
    p.setString(base + 5, b.payload());
    p.setShort(base + 6, (short) (b.forward() ? 1 : 0));
    p.setString(base + 7, b.status().code());
    p.setInt(base + 8, b.attempts());
    p.setString(base + 9, b.lastError());
  }

  static void bindCas(PreparedStatement p, GlobalStatus expected, GlobalRecord g, int attempts)
      throws SQLException {
    p.setInt(12, attempts);
    p.setInt(13, attempts);
    p.setString(1, g.status().code());
    p.setString(2, g.resumeStatus() == null ? null : g.resumeStatus().code());
    p.setLong(3, g.nextAttemptAt().toEpochMilli());
    p.setInt(4, g.attempts());
    setMillis(p, 5, g.phaseStartedAt());
    p.setString(6, g.owner());
    p.setLong(7, g.leaseUntil().toEpochMilli());
    p.setString(8, g.reason());
    p.setLong(9, g.updatedAt().toEpochMilli());
    p.setString(10, g.gid().value());
    p.setString(11, expected.code());
  }

  static void bindCas(PreparedStatement p, BranchStatus expected, BranchRecord b)
      throws SQLException {
    p.setString(1, b.status().code());
    p.setInt(2, b.attempts());
    p.setString(3, b.lastError());
    p.setString(4, b.gid().value());
    p.setString(5, b.branchId().value());
    p.setString(6, expected.code());
  }

  static GlobalRecord global(ResultSet rs) throws SQLException {
    String resume = rs.getString("resume_status");
    return GlobalRecord.fromLog(
        Gid.of(rs.getString("gid")),
        Mode.fromCode(rs.getString("mode")),
        GlobalStatus.fromCode(rs.getString("status")),
        resume == null ? null : GlobalStatus.fromCode(resume),
        rs.getShort("parallel_tries") != 0,
        Instant.ofEpochMilli(rs.getLong("deadline_at")),
        Instant.ofEpochMilli(rs.getLong("next_attempt_at")),
        rs.getInt("attempts"),
        millis(rs, "phase_started_at"),
        rs.getString("lease_owner"),
        Instant.ofEpochMilli(rs.getLong("lease_until")),
        rs.getString("reason"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("updated_at")));
  }

  static BranchRecord branch(ResultSet rs) throws SQLException {
    return new BranchRecord(
        Gid.of(rs.getString("gid")),
        BranchId.of(rs.getString("branch_id")),
        rs.getInt("seq"),
        rs.getString("participant"),
        rs.getString("payload"),
        rs.getShort("forward_recovery") != 0,
        BranchStatus.fromCode(rs.getString("status")),
        rs.getInt("attempts"),
        rs.getString("last_error"));
  }

  private static void setMillis(PreparedStatement p, int index, Instant value) throws SQLException {
    if (value == null) {
      p.setNull(index, Types.BIGINT);
    } else {
      p.setLong(index, value.toEpochMilli());
    }
  }

  private static Instant millis(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(value);
  }
}
