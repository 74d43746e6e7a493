package dev.cohort.store.jdbc.internal;

import dev.cohort.api.BranchId;
import dev.cohort.api.Gid;
import dev.cohort.coordinator.spi.AttemptRecord;
import dev.cohort.coordinator.spi.LogUnit;
import dev.cohort.coordinator.spi.LogUnit.BranchWrite;
import dev.cohort.coordinator.spi.WriteResult;
import dev.cohort.jdbc.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The {@code cohort_attempt} table: the last {@code kept} calls per branch and operation. A call
 * lands in slot {@code attempt % kept}, replacing the call {@code kept} attempts older, so the
 * table is bounded without deletes, and a group commit writes every attempt of its batch in one
 * multi-row upsert inside the same database transaction: no round trip per call.
 */
public final class AttemptHistory {
  private static final int COLUMNS = 10;
  private static final String PREFIX =
      "INSERT INTO cohort_attempt (gid, branch_id, operation, slot, attempt, at_ms, took_micros,"
          + " outcome, http_status, error) VALUES ";

  /** Replaced on a slot's reuse; at_ms too, last (see {@link #onConflict}). */
  private static final String[] UPDATED = {
    "attempt", "took_micros", "outcome", "http_status", "error"
  };

  private final Dialect dialect;
  private final int kept;

  public AttemptHistory(Dialect dialect, int kept) {
    this.dialect = dialect;
    this.kept = kept;
  }

  /** Upserts the attempts carried by the units whose guard held. */
  void write(Connection c, List<LogUnit> units, WriteResult[] results) throws SQLException {
    if (kept == 0) {
      return;
    }
    List<AttemptRecord> rows = carried(units, i -> results[i] == WriteResult.APPLIED);
    if (rows.isEmpty()) {
      return;
    }
    MultiRow.insert(c, PREFIX, COLUMNS, rows, this::bind, onConflict());
  }

  /**
   * The attempts the units carry, one per slot: a statement may not touch a row twice (PostgreSQL
   * refuses), and the later attempt is the one the slot keeps anyway. Empty when none are kept.
   */
  List<AttemptRecord> carried(List<LogUnit> units, IntPredicate include) {
    if (kept == 0) {
      return List.of();
    }
    Map<List<Object>, AttemptRecord> rows = new LinkedHashMap<>();
    for (int i = 0; i < units.size(); i++) {
      if (!include.test(i)) {
        continue;
      }
      for (BranchWrite w : units.get(i).branchWrites()) {
        if (w instanceof LogUnit.RecordAttempt r) {
          AttemptRecord a = r.attempt();
          rows.put(List.of(a.gid().value(), a.branchId().value(), a.operation(), slot(a)), a);
        }
      }
    }
    return new ArrayList<>(rows.values());
  }

  /**
   * PostgreSQL's one-statement flush: a VALUES list {@code t} of {@code n} attempts and an upsert
   * of those whose transaction is in {@code guarded} (the CTE of applied guards).
   */
  String postgresCtes(int n, String guarded) {
    return "t (gid, branch_id, operation, slot, attempt, at_ms, took_micros, outcome, http_status,"
        + " error) AS (VALUES "
        + MultiRow.placeholders(n, COLUMNS)
        + "), ia AS (INSERT INTO cohort_attempt (gid, branch_id, operation, slot, attempt, at_ms,"
        + " took_micros, outcome, http_status, error) SELECT t.gid, t.branch_id, t.operation,"
        + " t.slot, t.attempt, t.at_ms, t.took_micros, t.outcome, t.http_status, t.error FROM t"
        + " JOIN "
        + guarded
        + " ON "
        + guarded
        + ".gid = t.gid"
        + onConflict()
        + ")";
  }

  static int columns() {
    return COLUMNS;
  }

  private int slot(AttemptRecord a) {
    return a.attempt() % kept;
  }

  /**
   * Replaces a slot's row only with a call started no earlier: two writer threads may commit a
   * branch's calls out of order, and the slot must end with the newer one.
   */
  private String onConflict() {
    StringBuilder sql = new StringBuilder();
    if (dialect.database() == Database.MARIADB) {
      // MariaDB assigns left to right and later expressions see earlier results: at_ms goes last.
      sql.append(" ON DUPLICATE KEY UPDATE ");
      for (String column : UPDATED) {
        sql.append(column)
            .append(" = IF(VALUES(at_ms) >= at_ms, VALUES(")
            .append(column)
            .append("), ")
            .append(column)
            .append("), ");
      }
      sql.append("at_ms = GREATEST(at_ms, VALUES(at_ms))");
    } else {
      sql.append(" ON CONFLICT (gid, branch_id, operation, slot) DO UPDATE SET ");
      for (String column : UPDATED) {
        sql.append(column).append(" = excluded.").append(column).append(", ");
      }
      sql.append("at_ms = excluded.at_ms WHERE excluded.at_ms >= cohort_attempt.at_ms");
    }
    return sql.toString();
  }

  void bind(PreparedStatement p, int base, AttemptRecord a) throws SQLException {
    p.setString(base + 1, a.gid().value());
    p.setString(base + 2, a.branchId().value());
    p.setString(base + 3, a.operation());
    p.setInt(base + 4, slot(a));
    p.setInt(base + 5, a.attempt());
    p.setLong(base + 6, a.at().toEpochMilli());
    p.setLong(base + 7, a.took().toNanos() / 1_000);
    p.setString(base + 8, a.outcome().code());
    p.setInt(base + 9, a.httpStatus());
    p.setString(base + 10, a.error());
  }

  /** The attempts kept for {@code gid}, oldest first. */
  public static List<AttemptRecord> load(Connection c, Gid gid) throws SQLException {
    List<AttemptRecord> found = new ArrayList<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT branch_id, operation, attempt, at_ms, took_micros, outcome, http_status, error"
                + " FROM cohort_attempt WHERE gid = ? ORDER BY at_ms, branch_id, attempt")) {
      p.setString(1, gid.value());
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          found.add(
              new AttemptRecord(
                  gid,
                  BranchId.of(rs.getString(1)),
                  rs.getString(2),
                  rs.getInt(3),
                  Instant.ofEpochMilli(rs.getLong(4)),
                  Duration.ofNanos(rs.getLong(5) * 1_000),
                  AttemptRecord.Outcome.fromCode(rs.getString(6)),
                  rs.getInt(7),
                  rs.getString(8)));
        }
      }
    }
    return found;
  }
}
