package dev.cohort.participant.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of the three-phase status table ({@code <outcome table>_3pc}, created with the outcome
 * table by the same versioned schema): one row per branch, its status as a readable string and when
 * it was entered. Every change is a compare-and-set; the same statements run on PostgreSQL and
 * MariaDB.
 */
public final class ThreePhaseSql {
  /** A branch's stored status: {@code status} is the status's code, {@code since} epoch millis. */
  public record Row(String gid, String branchId, String status, long since) {}

  private final String table;

  public ThreePhaseSql(String outcomeTable) {
    this.table = BarrierSql.validTable(outcomeTable) + "_3pc";
  }

  public Optional<Row> load(Connection c, String gid, String branchId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT status, since FROM " + table + " WHERE gid = ? AND branch_id = ?")) {
      ps.setString(1, gid);
      ps.setString(2, branchId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new Row(gid, branchId, rs.getString(1), rs.getLong(2)))
            : Optional.empty();
      }
    }
  }

  /** The first status of a branch; false when another call stored one first. */
  public boolean insert(Connection c, String gid, String branchId, String status, long since)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO " + table + " (gid, branch_id, status, since) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, gid);
      ps.setString(2, branchId);
      ps.setString(3, status);
      ps.setLong(4, since);
      ps.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
        return false; // the primary key: the branch has a status already
      }
      throw e;
    }
  }

  /** Moves {@code from} → {@code to}; false when the branch was not in {@code from} any more. */
  public boolean update(
      Connection c, String gid, String branchId, String from, String to, long since)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + table
                + " SET status = ?, since = ? WHERE gid = ? AND branch_id = ? AND status = ?")) {
      ps.setString(1, to);
      ps.setLong(2, since);
      ps.setString(3, gid);
      ps.setString(4, branchId);
      ps.setString(5, from);
      return ps.executeUpdate() == 1;
    }
  }

  /** Branches in one of {@code statuses}, oldest first. */
  public List<Row> inStatus(Connection c, List<String> statuses) throws SQLException {
    String marks = String.join(", ", statuses.stream().map(s -> "?").toList());
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT gid, branch_id, status, since FROM "
                + table
                + " WHERE status IN ("
                + marks
                + ") ORDER BY since")) {
      for (int i = 0; i < statuses.size(); i++) {
        ps.setString(i + 1, statuses.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
        }
      }
    }
    return rows;
  }
}
