package dev.cohort.store.jdbc.internal;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.ClaimRequest;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.StoredTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads, and the claim of due work with a lease. */
public final class Queries {
  /** Statuses the engine still has work for; FAILED waits for an operator, so it is not here. */
  private static final String UNFINISHED =
      "('"
          + GlobalStatus.BEGUN.code()
          + "','"
          + GlobalStatus.COMMITTING.code()
          + "','"
          + GlobalStatus.ROLLING_BACK.code()
          + "')";

  private final Dialect dialect;

  public Queries(Dialect dialect) {
    this.dialect = dialect;
  }

  public Optional<StoredTransaction> load(Connection c, Gid gid) throws SQLException {
    GlobalRecord global;
    try (PreparedStatement p =
        c.prepareStatement("SELECT " + Rows.GLOBAL_COLUMNS + " FROM cohort_global WHERE gid = ?")) {
      p.setString(1, gid.value());
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        global = Rows.global(rs);
      }
    }
    List<BranchRecord> branches = new ArrayList<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT " + Rows.BRANCH_COLUMNS + " FROM cohort_branch WHERE gid = ? ORDER BY seq")) {
      p.setString(1, gid.value());
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          branches.add(Rows.branch(rs));
        }
      }
    }
    return Optional.of(new StoredTransaction(global, branches));
  }

  /**
   * Selects due rows (locking them, skipping rows another engine is claiming), moves their lease to
   * the caller, commits, then loads them.
   */
  public List<StoredTransaction> claim(Connection c, ClaimRequest r) throws SQLException {
    String own =
        r.ownRegardlessOfTime() ? "lease_owner = ?" : "(lease_owner = ? AND next_attempt_at <= ?)";
    String sql =
        "SELECT gid FROM cohort_global WHERE status IN "
            + UNFINISHED
            + " AND ("
            + own
            + " OR (next_attempt_at <= ? AND lease_until <= ?))"
            + " ORDER BY next_attempt_at LIMIT ?"
            + dialect.lockDueRows();
    List<Gid> gids = new ArrayList<>();
    c.setAutoCommit(false);
    try {
      try (PreparedStatement p = c.prepareStatement(sql)) {
        int i = 1;
        long now = r.now().toEpochMilli();
        p.setString(i++, r.owner());
        if (!r.ownRegardlessOfTime()) {
          p.setLong(i++, now);
        }
        p.setLong(i++, now);
        p.setLong(i++, now);
        p.setInt(i, r.limit());
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            gids.add(Gid.of(rs.getString(1)));
          }
        }
      }
      if (!gids.isEmpty()) {
        try (PreparedStatement p =
            c.prepareStatement(
                "UPDATE cohort_global SET lease_owner = ?, lease_until = ? WHERE gid = ?")) {
          for (Gid gid : gids) {
            p.setString(1, r.owner());
            p.setLong(2, r.leaseUntil().toEpochMilli());
            p.setString(3, gid.value());
            p.addBatch();
          }
          p.executeBatch();
        }
      }
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
    List<StoredTransaction> claimed = new ArrayList<>();
    for (Gid gid : gids) {
      load(c, gid).ifPresent(claimed::add);
    }
    return claimed;
  }

  public List<GlobalRecord> findByStatus(Connection c, GlobalStatus status, int limit)
      throws SQLException {
    List<GlobalRecord> found = new ArrayList<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT "
                + Rows.GLOBAL_COLUMNS
                + " FROM cohort_global WHERE status = ? ORDER BY created_at LIMIT ?")) {
      p.setString(1, status.code());
      p.setInt(2, limit);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          found.add(Rows.global(rs));
        }
      }
    }
    return found;
  }
}
