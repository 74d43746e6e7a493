package dev.cohort.store.jdbc.internal;

import dev.cohort.api.Gid;
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
import dev.cohort.jdbc.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes many units inside one database transaction with as few round trips as it can: one JDBC
 * batch for the inserts, one for the guards, one for the branch writes of the units whose guard
 * held. The caller commits.
 */
final class UnitWriter {
  private final Dialect dialect;
  private final AttemptHistory attempts;

  UnitWriter(Dialect dialect, AttemptHistory attempts) {
    this.dialect = dialect;
    this.attempts = attempts;
  }

  WriteResult[] write(Connection c, List<LogUnit> units) throws SQLException {
    boolean distinctRows = guardsTouchDistinctRows(units);
    if (dialect.database() == Database.POSTGRESQL && distinctRows) {
      // Writes the attempts in the same statement.
      WriteResult[] oneStatement = PostgresFlush.tryWrite(c, units, attempts);
      if (oneStatement != null) {
        return oneStatement;
      }
    }
    WriteResult[] results = new WriteResult[units.size()];
    insertNew(c, units, results);
    checkGuards(c, units, results, distinctRows);
    writeBranches(c, units, results);
    // After the guards: only the calls of units that applied are kept, like their results.
    attempts.write(c, units, results);
    return results;
  }

  private void insertNew(Connection c, List<LogUnit> units, WriteResult[] results)
      throws SQLException {
    List<GlobalRecord> globals = new ArrayList<>();
    List<BranchRecord> branches = new ArrayList<>();
    for (int i = 0; i < units.size(); i++) {
      if (units.get(i).guard() instanceof Insert insert) {
        globals.add(insert.global());
        branches.addAll(insert.branches());
        results[i] = WriteResult.APPLIED;
      }
    }
    // Multi-row INSERTs: one statement (one round trip, one parse) per chunk instead of per row.
    // A duplicate gid fails the statement; the caller then retries unit by unit.
    MultiRow.insert(
        c, Rows.INSERT_GLOBAL_PREFIX, Rows.GLOBAL_COLUMN_COUNT, globals, Rows::bindInsert);
    MultiRow.insert(
        c, Rows.INSERT_BRANCH_PREFIX, Rows.BRANCH_COLUMN_COUNT, branches, Rows::bindInsert);
  }

  private void checkGuards(
      Connection c, List<LogUnit> units, WriteResult[] results, boolean distinctRows)
      throws SQLException {
    if (dialect.database() == Database.POSTGRESQL && distinctRows) {
      MultiRow.casGlobals(c, units, results);
      return;
    }
    List<Integer> indexes = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(Rows.CAS_GLOBAL)) {
      for (int i = 0; i < units.size(); i++) {
        if (units.get(i).guard() instanceof Cas cas) {
          Rows.bindCas(p, cas.expected(), cas.updated(), cas.expectedAttempts());
          if (dialect.batchCountsReliable()) {
            p.addBatch();
            indexes.add(i);
          } else {
            results[i] = p.executeUpdate() == 1 ? WriteResult.APPLIED : WriteResult.CONFLICT;
          }
        }
      }
      if (!indexes.isEmpty()) {
        int[] counts = p.executeBatch();
        for (int k = 0; k < counts.length; k++) {
          results[indexes.get(k)] = counts[k] == 1 ? WriteResult.APPLIED : WriteResult.CONFLICT;
        }
      }
    }
  }

  /**
   * Whether no two compare-and-sets of the batch aim at the same transaction (say a registration
   * and a commit of one gid). The multi-row forms update a row once and would report both as
   * applied, so two guards on one row run as separate statements, in order, each seeing the last.
   */
  private static boolean guardsTouchDistinctRows(List<LogUnit> units) {
    Set<Gid> seen = new HashSet<>();
    for (LogUnit unit : units) {
      if (unit.guard() instanceof Cas cas && !seen.add(cas.updated().gid())) {
        return false;
      }
    }
    return true;
  }

  private void writeBranches(Connection c, List<LogUnit> units, WriteResult[] results)
      throws SQLException {
    boolean anyUpdate = false;
    boolean anyAdvance = false;
    List<AdvanceBranches> advances = new ArrayList<>();
    List<BranchRecord> added = new ArrayList<>();
    try (PreparedStatement update = c.prepareStatement(Rows.CAS_BRANCH);
        PreparedStatement advance = c.prepareStatement(Rows.ADVANCE_BRANCHES)) {
      for (int i = 0; i < units.size(); i++) {
        if (results[i] != WriteResult.APPLIED) {
          continue;
        }
        for (BranchWrite w : units.get(i).branchWrites()) {
          switch (w) {
            case UpdateBranch u -> {
              Rows.bindCas(update, u.expected(), u.updated());
              update.addBatch();
              anyUpdate = true;
            }
            case InsertBranch insert -> added.add(insert.branch());
            case LogUnit.RecordAttempt unused -> {
              // written by AttemptHistory once every result is known
            }
            case AdvanceBranches a -> {
              if (dialect.database() == Database.POSTGRESQL) {
                advances.add(a);
              } else {
                advance.setString(1, a.to().code());
                advance.setString(2, a.gid().value());
                advance.setString(3, a.from().code());
                advance.addBatch();
                anyAdvance = true;
              }
            }
          }
        }
      }
      // Added branches first: a later write in the same batch may move them on.
      MultiRow.insert(
          c, Rows.INSERT_BRANCH_PREFIX, Rows.BRANCH_COLUMN_COUNT, added, Rows::bindInsert);
      if (anyUpdate) {
        update.executeBatch();
      }
      if (anyAdvance) {
        advance.executeBatch();
      }
      MultiRow.advance(c, advances);
    }
  }
}
