package dev.cohort.store.jdbc.internal;

import static dev.cohort.store.jdbc.internal.TextSearch.Column.GID;
import static dev.cohort.store.jdbc.internal.TextSearch.Column.LAST_ERROR;
import static dev.cohort.store.jdbc.internal.TextSearch.Column.PARTICIPANT;
import static dev.cohort.store.jdbc.internal.TextSearch.Column.PAYLOAD;
import static dev.cohort.store.jdbc.internal.TextSearch.Column.REASON;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.TransactionQuery;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.ClaimRequest;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.StoredTransaction;
import dev.cohort.jdbc.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Reads, and the claim of due work with a lease. */
public final class Queries {
  /**
   * Statuses the engine still has work for (an OPEN one only once its deadline passed: until then
   * its lease is live); FAILED waits for an operator, so it is not here.
   */
  private static final String UNFINISHED =
      "('"
          + GlobalStatus.OPEN.code()
          + "','"
          + GlobalStatus.BEGUN.code()
          + "','"
          + GlobalStatus.COMMITTING.code()
          + "','"
          + GlobalStatus.ROLLING_BACK.code()
          + "')";

  /**
   * Statuses a node holds a lease on while it drives them (an OPEN one's lease is its deadline).
   */
  private static final String DRIVEN =
      "('"
          + GlobalStatus.BEGUN.code()
          + "','"
          + GlobalStatus.COMMITTING.code()
          + "','"
          + GlobalStatus.ROLLING_BACK.code()
          + "')";

  private final Dialect dialect;

  private final TextSearch text;

  /**
   * Whether the log has its text indexes (see {@link TextIndexes}); else text is found by scans.
   */
  private final boolean textIndexed;

  public Queries(Dialect dialect, boolean textIndexed) {
    this.text = new TextSearch(dialect.database());
    this.dialect = dialect;
    this.textIndexed = textIndexed;
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
    // An OPEN transaction is due only at its deadline, even for its own node after a restart:
    // until then its client may still commit it (through any node).
    String own =
        r.ownRegardlessOfTime()
            ? "(lease_owner = ? AND (status <> '"
                + GlobalStatus.OPEN.code()
                + "' OR next_attempt_at <= ?))"
            : "(lease_owner = ? AND next_attempt_at <= ?)";
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
        p.setLong(i++, now);
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
                // The next attempt moves to the lease's end as well: a claimed transaction is
                // not due again (even for its owner) until its drive reschedules it or the lease
                // runs out, so recovery and the poller never take up one that is being driven.
                "UPDATE cohort_global SET lease_owner = ?, lease_until = ?, next_attempt_at ="
                    + " CASE WHEN next_attempt_at < ? THEN ? ELSE next_attempt_at END"
                    + " WHERE gid = ?")) {
          long until = r.leaseUntil().toEpochMilli();
          for (Gid gid : gids) {
            p.setString(1, r.owner());
            p.setLong(2, until);
            p.setLong(3, until);
            p.setLong(4, until);
            p.setString(5, gid.value());
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

  /**
   * Extends the lease of those of {@code gids} that {@code owner} still holds and that are
   * unfinished; their next attempt moves to the lease's end too, so that not even the owner's own
   * poller claims them while they are being driven.
   *
   * @return how many rows were renewed
   */
  public int renewLeases(Connection c, String owner, List<Gid> gids, Instant until)
      throws SQLException {
    int renewed = 0;
    int perStatement = 500;
    for (int from = 0; from < gids.size(); from += perStatement) {
      List<Gid> chunk = gids.subList(from, Math.min(gids.size(), from + perStatement));
      try (PreparedStatement p =
          c.prepareStatement(
              "UPDATE cohort_global SET lease_until = ?, next_attempt_at = CASE WHEN"
                  + " next_attempt_at < ? THEN ? ELSE next_attempt_at END"
                  + " WHERE lease_owner = ? AND status IN "
                  + DRIVEN
                  + " AND gid IN "
                  + MultiRow.placeholders(1, chunk.size()))) {
        long millis = until.toEpochMilli();
        p.setLong(1, millis);
        p.setLong(2, millis);
        p.setLong(3, millis);
        p.setString(4, owner);
        for (int i = 0; i < chunk.size(); i++) {
          p.setString(5 + i, chunk.get(i).value());
        }
        renewed += p.executeUpdate();
      }
    }
    return renewed;
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

  /**
   * Transactions matching the query, by gid; text is matched case-insensitively. With text to find
   * and {@code scanFirst > 0}, the first {@code scanFirst} rows the other filters let through are
   * looked at in gid order first (see {@link #scanFirst}); only when they hold fewer than a page of
   * matches do the text indexes answer.
   */
  public List<GlobalRecord> search(Connection c, TransactionQuery q, int scanFirst)
      throws SQLException {
    boolean hasText = q.text() != null || q.participant() != null || q.error() != null;
    if (hasText && !textIndexed) {
      return scanAll(c, q);
    }
    if (scanFirst > 0) {
      Optional<List<GlobalRecord>> page = scanFirst(c, q, scanFirst);
      if (page.isPresent()) {
        return page.get();
      }
    }
    StringBuilder sql =
        new StringBuilder("SELECT " + Rows.GLOBAL_COLUMNS + " FROM cohort_global WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    appendFilters(q, sql, args);
    // Each text field is a subquery of gids the database's text index answers (TextSearch).
    if (q.text() != null) {
      sql.append(" AND gid IN (")
          .append(text.gidsWith(q.text(), List.of(GID, REASON, PAYLOAD), args))
          .append(')');
    }
    if (q.participant() != null) {
      sql.append(" AND gid IN (")
          .append(text.gidsWith(q.participant(), List.of(PARTICIPANT, PAYLOAD), args))
          .append(')');
    }
    if (q.error() != null) {
      sql.append(" AND gid IN (")
          .append(text.gidsWith(q.error(), List.of(REASON, LAST_ERROR), args))
          .append(')');
    }
    sql.append(" ORDER BY gid LIMIT ?");
    args.add(q.limit());
    List<GlobalRecord> found = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        p.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          found.add(Rows.global(rs));
        }
      }
    }
    return found;
  }

  /**
   * The first step of a text search: a page of matches among the first {@code bound} rows that the
   * query's other filters let through, in gid order, each row checked with LIKE (no text index);
   * empty when the text cannot be checked that way on this database or those rows hold fewer
   * matches than a page. Text that matches much of the log (a host every other transaction calls)
   * fills a page within a few hundred rows, where the text index would first hand back every match
   * in the log to be sorted; rare text costs this bounded scan, then the index.
   */
  private Optional<List<GlobalRecord>> scanFirst(Connection c, TransactionQuery q, int bound)
      throws SQLException {
    List<String> texts = new ArrayList<>();
    for (String t : new String[] {q.text(), q.participant(), q.error()}) {
      if (t != null) {
        texts.add(t);
      }
    }
    if (texts.isEmpty() || !texts.stream().allMatch(text::rowScanAgrees)) {
      return Optional.empty();
    }
    StringBuilder inner =
        new StringBuilder("SELECT " + Rows.GLOBAL_COLUMNS + " FROM cohort_global WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    appendFilters(q, inner, args);
    inner.append(" ORDER BY gid LIMIT ?");
    args.add(bound);
    StringBuilder sql =
        new StringBuilder("SELECT " + Rows.GLOBAL_COLUMNS + " FROM (")
            .append(inner)
            .append(") g WHERE 1 = 1");
    appendRowMatches(q, sql, args);
    sql.append(" ORDER BY gid LIMIT ?");
    args.add(q.limit());
    List<GlobalRecord> found = globals(c, sql.toString(), args);
    return found.size() == q.limit() ? Optional.of(found) : Optional.empty();
  }

  /**
   * A text search on a log without text indexes: the rows the other filters let through, in gid
   * order, each checked with LIKE until a page is found — the database stops there, so frequent
   * text is cheap and rare text reads the rows the other filters let through.
   */
  private List<GlobalRecord> scanAll(Connection c, TransactionQuery q) throws SQLException {
    if (dialect.database() == Database.POSTGRESQL
        && Stream.of(q.text(), q.participant(), q.error())
            .anyMatch(t -> t != null && t.indexOf('\u0000') >= 0)) {
      // PostgreSQL text never holds a NUL, and refuses one as a parameter: nothing matches.
      return List.of();
    }
    StringBuilder sql =
        new StringBuilder("SELECT " + Rows.GLOBAL_COLUMNS + " FROM cohort_global g WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    appendFilters(q, sql, args);
    appendRowMatches(q, sql, args);
    sql.append(" ORDER BY gid LIMIT ?");
    args.add(q.limit());
    return globals(c, sql.toString(), args);
  }

  /** The query's text fields as LIKE conditions on the row {@code g} and its branches. */
  private void appendRowMatches(TransactionQuery q, StringBuilder sql, List<Object> args) {
    if (q.text() != null) {
      sql.append(" AND ").append(text.rowMatches(q.text(), List.of(GID, REASON, PAYLOAD), args));
    }
    if (q.participant() != null) {
      sql.append(" AND ")
          .append(text.rowMatches(q.participant(), List.of(PARTICIPANT, PAYLOAD), args));
    }
    if (q.error() != null) {
      sql.append(" AND ").append(text.rowMatches(q.error(), List.of(REASON, LAST_ERROR), args));
    }
  }

  /** Status, mode, age and the page's start: the filters that need no text. */
  private static void appendFilters(TransactionQuery q, StringBuilder sql, List<Object> args) {
    if (!q.statuses().isEmpty()) {
      sql.append(" AND status IN ").append(MultiRow.placeholders(1, q.statuses().size()));
      q.statuses().stream().map(GlobalStatus::code).sorted().forEach(args::add);
    }
    if (q.mode() != null) {
      sql.append(" AND mode = ?");
      args.add(q.mode().code());
    }
    if (q.createdAfter() != null) {
      sql.append(" AND created_at >= ?");
      args.add(q.createdAfter().toEpochMilli());
    }
    if (q.createdBefore() != null) {
      sql.append(" AND created_at < ?");
      args.add(q.createdBefore().toEpochMilli());
    }
    if (q.after() != null) {
      sql.append(" AND gid > ?");
      args.add(q.after().value());
    }
  }

  private static List<GlobalRecord> globals(Connection c, String sql, List<Object> args)
      throws SQLException {
    List<GlobalRecord> found = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        p.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          found.add(Rows.global(rs));
        }
      }
    }
    return found;
  }

  public Map<GlobalStatus, Long> countByStatus(Connection c) throws SQLException {
    Map<GlobalStatus, Long> counts = new EnumMap<>(GlobalStatus.class);
    try (PreparedStatement p =
            c.prepareStatement("SELECT status, COUNT(*) FROM cohort_global GROUP BY status");
        ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        counts.put(GlobalStatus.fromCode(rs.getString(1)), rs.getLong(2));
      }
    }
    return counts;
  }

  private static final String FINISHED =
      "('"
          + GlobalStatus.COMMITTED.code()
          + "','"
          + GlobalStatus.ROLLED_BACK.code()
          + "','"
          + GlobalStatus.RESOLVED.code()
          + "')";

  /** Selects a batch of old finished gids, then deletes their branches and rows in one commit. */
  public int purgeFinished(Connection c, Instant before, int limit) throws SQLException {
    List<String> gids = new ArrayList<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT gid FROM cohort_global WHERE status IN "
                + FINISHED
                + " AND updated_at < ? ORDER BY updated_at LIMIT ?")) {
      p.setLong(1, before.toEpochMilli());
      p.setInt(2, limit);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          gids.add(rs.getString(1));
        }
      }
    }
    if (gids.isEmpty()) {
      return 0;
    }
    String in = MultiRow.placeholders(1, gids.size());
    c.setAutoCommit(false);
    try {
      int deleted;
      try (PreparedStatement attempts =
              c.prepareStatement("DELETE FROM cohort_attempt WHERE gid IN " + in);
          PreparedStatement branches =
              c.prepareStatement("DELETE FROM cohort_branch WHERE gid IN " + in);
          PreparedStatement globals =
              c.prepareStatement(
                  // The status guard again: a row cannot leave a finished status, but the
                  // guard keeps this statement safe even if that ever changed.
                  "DELETE FROM cohort_global WHERE gid IN " + in + " AND status IN " + FINISHED)) {
        for (int i = 0; i < gids.size(); i++) {
          attempts.setString(i + 1, gids.get(i));
          branches.setString(i + 1, gids.get(i));
          globals.setString(i + 1, gids.get(i));
        }
        attempts.executeUpdate();
        branches.executeUpdate();
        deleted = globals.executeUpdate();
      }
      c.commit();
      return deleted;
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }
}
