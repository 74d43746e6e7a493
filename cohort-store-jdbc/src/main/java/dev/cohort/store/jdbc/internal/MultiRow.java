package dev.cohort.store.jdbc.internal;

import dev.cohort.api.Gid;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.LogUnit;
import dev.cohort.coordinator.spi.LogUnit.AdvanceBranches;
import dev.cohort.coordinator.spi.LogUnit.Cas;
import dev.cohort.coordinator.spi.WriteResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Statements that write many rows at once. On a server the cost of a group commit is mostly per
 * statement (parse, plan, a message each way), so a batch of 64 transactions written as 64 UPDATEs
 * costs far more than one UPDATE over 64 rows.
 */
final class MultiRow {
  /** Bind parameters per statement; PostgreSQL's protocol limit is 32767. */
  private static final int MAX_PARAMETERS = 30_000;

  private static final int CAS_COLUMNS = 12;

  /** Binds one row starting after parameter {@code base}. */
  interface Binder<T> {
    void bind(PreparedStatement p, int base, T row) throws SQLException;
  }

  private MultiRow() {}

  static <T> void insert(Connection c, String prefix, int columns, List<T> rows, Binder<T> binder)
      throws SQLException {
    insert(c, prefix, columns, rows, binder, "");
  }

  /** {@link #insert} with {@code suffix} after the values (an upsert's conflict clause). */
  static <T> void insert(
      Connection c, String prefix, int columns, List<T> rows, Binder<T> binder, String suffix)
      throws SQLException {
    int perStatement = MAX_PARAMETERS / columns;
    for (int from = 0; from < rows.size(); from += perStatement) {
      List<T> chunk = rows.subList(from, Math.min(rows.size(), from + perStatement));
      try (PreparedStatement p =
          c.prepareStatement(prefix + placeholders(chunk.size(), columns) + suffix)) {
        for (int i = 0; i < chunk.size(); i++) {
          binder.bind(p, i * columns, chunk.get(i));
        }
        p.executeUpdate();
      }
    }
  }

  /**
   * PostgreSQL: every compare-and-set guard of the batch in one {@code UPDATE … FROM (VALUES …)
   * RETURNING gid}; a unit whose gid does not come back missed its guard.
   */
  static void casGlobals(Connection c, List<LogUnit> units, WriteResult[] results)
      throws SQLException {
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < units.size(); i++) {
      if (units.get(i).guard() instanceof Cas) {
        indexes.add(i);
      }
    }
    int perStatement = MAX_PARAMETERS / CAS_COLUMNS;
    for (int from = 0; from < indexes.size(); from += perStatement) {
      List<Integer> chunk = indexes.subList(from, Math.min(indexes.size(), from + perStatement));
      String sql =
          "WITH v (gid, expected, status, resume_status, next_attempt_at, attempts,"
              + " phase_started_at, lease_owner, lease_until, reason, updated_at,"
              + " expected_attempts) AS (VALUES "
              + placeholders(chunk.size(), CAS_COLUMNS)
              + ") UPDATE cohort_global AS g SET status = v.status,"
              + " resume_status = v.resume_status, next_attempt_at = v.next_attempt_at,"
              + " attempts = v.attempts, phase_started_at = v.phase_started_at,"
              + " lease_owner = v.lease_owner, lease_until = v.lease_until, reason = v.reason,"
              + " updated_at = v.updated_at"
              + " FROM v WHERE g.gid = v.gid AND g.status = v.expected"
              + " AND (v.expected_attempts < 0 OR g.attempts = v.expected_attempts)"
              + " RETURNING g.gid";
      Set<String> applied = new HashSet<>();
      try (PreparedStatement p = c.prepareStatement(sql)) {
        int base = 0;
        for (int index : chunk) {
          Cas cas = (Cas) units.get(index).guard();
          GlobalRecord g = cas.updated();
          p.setString(base + 1, g.gid().value());
          p.setString(base + 2, cas.expected().code());
          p.setString(base + 3, g.status().code());
          p.setString(base + 4, g.resumeStatus() == null ? null : g.resumeStatus().code());
          p.setLong(base + 5, g.nextAttemptAt().toEpochMilli());
          p.setInt(base + 6, g.attempts());
          if (g.phaseStartedAt() == null) {
            p.setNull(base + 7, java.sql.Types.BIGINT);
          } else {
            p.setLong(base + 7, g.phaseStartedAt().toEpochMilli());
          }
          p.setString(base + 8, g.owner());
          p.setLong(base + 9, g.leaseUntil().toEpochMilli());
          p.setString(base + 10, g.reason());
          p.setLong(base + 11, g.updatedAt().toEpochMilli());
          p.setInt(base + 12, cas.expectedAttempts());
          base += CAS_COLUMNS;
        }
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            applied.add(rs.getString(1));
          }
        }
      }
      for (int index : chunk) {
        Gid gid = units.get(index).gid();
        results[index] = applied.contains(gid.value()) ? WriteResult.APPLIED : WriteResult.CONFLICT;
      }
    }
  }

  /**
   * PostgreSQL: all "move every branch of gid from status X to Y" writes in one statement. The
   * engine emits at most one such write per transaction and unit, so no row matches twice.
   */
  static void advance(Connection c, List<AdvanceBranches> advances) throws SQLException {
    int perStatement = MAX_PARAMETERS / 3;
    for (int from = 0; from < advances.size(); from += perStatement) {
      List<AdvanceBranches> chunk =
          advances.subList(from, Math.min(advances.size(), from + perStatement));
      String sql =
          "WITH v (gid, from_status, to_status) AS (VALUES "
              + placeholders(chunk.size(), 3)
              + ") UPDATE cohort_branch AS b SET status = v.to_status"
              + " FROM v WHERE b.gid = v.gid AND b.status = v.from_status";
      try (PreparedStatement p = c.prepareStatement(sql)) {
        int base = 0;
        for (AdvanceBranches a : chunk) {
          p.setString(base + 1, a.gid().value());
          p.setString(base + 2, a.from().code());
          p.setString(base + 3, a.to().code());
          base += 3;
        }
        p.executeUpdate();
      }
    }
  }

  /** {@code (?,?,…),(?,?,…),…}: {@code rows} groups of {@code columns} bind markers. */
  static String placeholders(int rows, int columns) {
    String row = "(" + "?,".repeat(columns - 1) + "?)";
    StringBuilder sb = new StringBuilder(rows * (row.length() + 1));
    for (int i = 0; i < rows; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(row);
    }
    return sb.toString();
  }
}
