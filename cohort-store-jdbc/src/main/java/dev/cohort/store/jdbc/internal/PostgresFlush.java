package dev.cohort.store.jdbc.internal;

import dev.cohort.coordinator.spi.AttemptRecord;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.LogUnit;
import dev.cohort.coordinator.spi.LogUnit.AdvanceBranches;
import dev.cohort.coordinator.spi.LogUnit.BranchWrite;
import dev.cohort.coordinator.spi.LogUnit.Cas;
import dev.cohort.coordinator.spi.LogUnit.Insert;
import dev.cohort.coordinator.spi.LogUnit.InsertBranch;
import dev.cohort.coordinator.spi.LogUnit.UpdateBranch;
import dev.cohort.coordinator.spi.WriteResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * PostgreSQL: a whole group commit as one statement of data-modifying CTEs — inserts, the
 * compare-and-set of every guarded unit ({@code RETURNING gid}), and branch writes joined to the
 * gids whose guard held, and the attempt history's upsert joined the same way — so a flush costs
 * one round trip plus the COMMIT. On a busy machine every round trip waits for a CPU slice, so
 * round trips, not rows, bound the log's throughput.
 */
final class PostgresFlush {
  private static final int MAX_PARAMETERS = 30_000;

  private PostgresFlush() {}

  /**
   * Expects guards on distinct transactions (the caller checks). Null when the batch does not fit
   * the one-statement form; the caller then writes it per kind.
   */
  static WriteResult[] tryWrite(Connection c, List<LogUnit> units, AttemptHistory history)
      throws SQLException {
    List<GlobalRecord> globals = new ArrayList<>();
    List<BranchRecord> inserted = new ArrayList<>();
    List<Cas> guards = new ArrayList<>();
    List<AdvanceBranches> advances = new ArrayList<>();
    List<UpdateBranch> updates = new ArrayList<>();
    for (LogUnit unit : units) {
      switch (unit.guard()) {
        case Insert insert -> {
          // An insert carries at most the calls of its attempt history (a presumed-abort
          // decision); anything else takes the per-kind path.
          for (BranchWrite w : unit.branchWrites()) {
            if (!(w instanceof LogUnit.RecordAttempt)) {
              return null;
            }
          }
          globals.add(insert.global());
          inserted.addAll(insert.branches());
        }
        case Cas cas -> {
          guards.add(cas);
          boolean advance = false;
          boolean update = false;
          for (BranchWrite w : unit.branchWrites()) {
            switch (w) {
              case AdvanceBranches a -> {
                advances.add(a);
                advance = true;
              }
              case UpdateBranch u -> {
                updates.add(u);
                update = true;
              }
              case InsertBranch unused -> {
                // Rare (the incremental API); the per-kind path writes it after the guard.
                return null;
              }
              case LogUnit.RecordAttempt unused -> {
                // written by AttemptHistory after this statement, in the same commit
              }
            }
          }
          if (advance && update) {
            // Both could hit one row, and a statement updates a row only once.
            return null;
          }
        }
      }
    }
    int parameters =
        globals.size() * Rows.GLOBAL_COLUMN_COUNT
            + inserted.size() * Rows.BRANCH_COLUMN_COUNT
            + guards.size() * 12
            + advances.size() * 3
            + updates.size() * 6;
    // Every unit's attempts ride along; they are kept for an insert (the statement fails whole if
    // one is a duplicate) and for a compare-and-set that held.
    List<AttemptRecord> attempts = history.carried(units, i -> true);
    parameters += attempts.size() * AttemptHistory.columns();
    if (parameters > MAX_PARAMETERS) {
      return null;
    }

    List<String> ctes = new ArrayList<>();
    if (!globals.isEmpty()) {
      ctes.add(
          "ig AS ("
              + Rows.INSERT_GLOBAL_PREFIX
              + MultiRow.placeholders(globals.size(), Rows.GLOBAL_COLUMN_COUNT)
              + " RETURNING gid)");
    }
    if (!inserted.isEmpty()) {
      ctes.add(
          "ib AS ("
              + Rows.INSERT_BRANCH_PREFIX
              + MultiRow.placeholders(inserted.size(), Rows.BRANCH_COLUMN_COUNT)
              + ")");
    }
    if (!guards.isEmpty()) {
      ctes.add(
          "v (gid, expected, status, resume_status, next_attempt_at, attempts, phase_started_at,"
              + " lease_owner, lease_until, reason, updated_at, expected_attempts) AS (VALUES "
              + MultiRow.placeholders(guards.size(), 12)
              + ")");
      ctes.add(
          "cas AS (UPDATE cohort_global AS g SET status = v.status,"
              + " resume_status = v.resume_status, next_attempt_at = v.next_attempt_at,"
              + " attempts = v.attempts, phase_started_at = v.phase_started_at,"
              + " lease_owner = v.lease_owner, lease_until = v.lease_until, reason = v.reason,"
              + " updated_at = v.updated_at FROM v"
              + " WHERE g.gid = v.gid AND g.status = v.expected"
              + " AND (v.expected_attempts < 0 OR g.attempts = v.expected_attempts)"
              + " RETURNING g.gid)");
      if (!advances.isEmpty()) {
        ctes.add(
            "a (gid, from_status, to_status) AS (VALUES "
                + MultiRow.placeholders(advances.size(), 3)
                + ")");
        ctes.add(
            "adv AS (UPDATE cohort_branch AS b SET status = a.to_status"
                + " FROM a JOIN cas ON cas.gid = a.gid"
                + " WHERE b.gid = a.gid AND b.status = a.from_status)");
      }
      if (!updates.isEmpty()) {
        ctes.add(
            "u (gid, branch_id, expected, status, attempts, last_error) AS (VALUES "
                + MultiRow.placeholders(updates.size(), 6)
                + ")");
        ctes.add(
            "ub AS (UPDATE cohort_branch AS b SET status = u.status, attempts = u.attempts,"
                + " last_error = u.last_error FROM u JOIN cas ON cas.gid = u.gid"
                + " WHERE b.gid = u.gid AND b.branch_id = u.branch_id AND b.status = u.expected)");
      }
    }
    if (!attempts.isEmpty()) {
      List<String> kept = new ArrayList<>();
      if (!globals.isEmpty()) {
        kept.add("SELECT gid FROM ig");
      }
      if (!guards.isEmpty()) {
        kept.add("SELECT gid FROM cas");
      }
      ctes.add("ok AS (" + String.join(" UNION ", kept) + ")");
      ctes.add(history.postgresCtes(attempts.size(), "ok"));
    }
    String sql =
        "WITH "
            + String.join(", ", ctes)
            + (guards.isEmpty() ? " SELECT NULL WHERE false" : " SELECT gid FROM cas");

    Set<String> applied = new HashSet<>();
    try (PreparedStatement p = c.prepareStatement(sql)) {
      int base = 0;
      for (GlobalRecord g : globals) {
        Rows.bindInsert(p, base, g);
        base += Rows.GLOBAL_COLUMN_COUNT;
      }
      for (BranchRecord b : inserted) {
        Rows.bindInsert(p, base, b);
        base += Rows.BRANCH_COLUMN_COUNT;
      }
      for (Cas cas : guards) {
        GlobalRecord g = cas.updated();
        p.setString(base + 1, g.gid().value());
        p.setString(base + 2, cas.expected().code());
        p.setString(base + 3, g.status().code());
        p.setString(base + 4, g.resumeStatus() == null ? null : g.resumeStatus().code());
        p.setLong(base + 5, g.nextAttemptAt().toEpochMilli());
        p.setInt(base + 6, g.attempts());
        if (g.phaseStartedAt() == null) {
          p.setNull(base + 7, Types.BIGINT);
        } else {
          p.setLong(base + 7, g.phaseStartedAt().toEpochMilli());
        }
        p.setString(base + 8, g.owner());
        p.setLong(base + 9, g.leaseUntil().toEpochMilli());
        p.setString(base + 10, g.reason());
        p.setLong(base + 11, g.updatedAt().toEpochMilli());
        p.setInt(base + 12, cas.expectedAttempts());
        base += 12;
      }
      for (AdvanceBranches a : advances) {
        p.setString(base + 1, a.gid().value());
        p.setString(base + 2, a.from().code());
        p.setString(base + 3, a.to().code());
        base += 3;
      }
      for (UpdateBranch u : updates) {
        BranchRecord b = u.updated();
        p.setString(base + 1, b.gid().value());
        p.setString(base + 2, b.branchId().value());
        p.setString(base + 3, u.expected().code());
        p.setString(base + 4, b.status().code());
        p.setInt(base + 5, b.attempts());
        p.setString(base + 6, b.lastError());
        base += 6;
      }
      for (AttemptRecord a : attempts) {
        history.bind(p, base, a);
        base += AttemptHistory.columns();
      }
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          applied.add(rs.getString(1));
        }
      }
    }
    WriteResult[] results = new WriteResult[units.size()];
    for (int i = 0; i < units.size(); i++) {
      LogUnit unit = units.get(i);
      results[i] =
          unit.guard() instanceof Insert || applied.contains(unit.gid().value())
              ? WriteResult.APPLIED
              : WriteResult.CONFLICT;
    }
    return results;
  }
}
