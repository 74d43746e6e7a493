package dev.cohort.store.jdbc.internal;

import dev.cohort.coordinator.spi.ConsoleSessionRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The console's sessions (table {@code cohort_console_session}, schema version 5), shared by every
 * node on the log. Plain statements the three databases agree on; a login is the only call that
 * writes more than one row.
 */
public final class SessionQueries {
  private static final String COLUMNS =
      "id_hash, token_id, role, csrf, created_ms, last_seen_ms, expires_ms";

  /** Sweeps ended sessions, makes room under the cap, inserts; one database transaction. */
  public void open(Connection c, ConsoleSessionRecord s, Instant idleBefore, Instant now, int cap)
      throws SQLException {
    if (cap < 1) {
      throw new IllegalArgumentException("the session cap must be at least 1, was " + cap);
    }
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (PreparedStatement p =
          c.prepareStatement(
              "DELETE FROM cohort_console_session WHERE last_seen_ms < ? OR expires_ms <= ?")) {
        p.setLong(1, idleBefore.toEpochMilli());
        p.setLong(2, now.toEpochMilli());
        p.executeUpdate();
      }
      long count;
      try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM cohort_console_session");
          ResultSet rs = p.executeQuery()) {
        rs.next();
        count = rs.getLong(1);
      }
      if (count >= cap) {
        // Least recently seen first. Selected, then deleted by key: MariaDB refuses a LIMIT inside
        // an IN subquery.
        List<String> oldest = new ArrayList<>();
        try (PreparedStatement p =
            c.prepareStatement(
                "SELECT id_hash FROM cohort_console_session ORDER BY last_seen_ms, id_hash"
                    + " LIMIT ?")) {
          p.setLong(1, count - cap + 1);
          try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
              oldest.add(rs.getString(1));
            }
          }
        }
        try (PreparedStatement p =
            c.prepareStatement("DELETE FROM cohort_console_session WHERE id_hash = ?")) {
          for (String idHash : oldest) {
            p.setString(1, idHash);
            p.addBatch();
          }
          p.executeBatch();
        }
      }
      try (PreparedStatement p =
          c.prepareStatement(
              "INSERT INTO cohort_console_session ("
                  + COLUMNS
                  + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        p.setString(1, s.idHash());
        p.setString(2, s.tokenId());
        p.setString(3, s.role());
        p.setString(4, s.csrf());
        p.setLong(5, s.created().toEpochMilli());
        p.setLong(6, s.lastSeen().toEpochMilli());
        p.setLong(7, s.expires().toEpochMilli());
        p.executeUpdate();
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  public Optional<ConsoleSessionRecord> find(Connection c, String idHash) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM cohort_console_session WHERE id_hash = ?")) {
      p.setString(1, idHash);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new ConsoleSessionRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                Instant.ofEpochMilli(rs.getLong(5)),
                Instant.ofEpochMilli(rs.getLong(6)),
                Instant.ofEpochMilli(rs.getLong(7))));
      }
    }
  }

  public void touch(Connection c, String idHash, Instant lastSeen) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "UPDATE cohort_console_session SET last_seen_ms = ?"
                + " WHERE id_hash = ? AND last_seen_ms < ?")) {
      p.setLong(1, lastSeen.toEpochMilli());
      p.setString(2, idHash);
      p.setLong(3, lastSeen.toEpochMilli());
      p.executeUpdate();
    }
  }

  public void close(Connection c, String idHash) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("DELETE FROM cohort_console_session WHERE id_hash = ?")) {
      p.setString(1, idHash);
      p.executeUpdate();
    }
  }
}
