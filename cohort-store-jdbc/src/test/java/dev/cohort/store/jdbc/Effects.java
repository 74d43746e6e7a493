package dev.cohort.store.jdbc;

import dev.cohort.api.BranchContext;
import dev.cohort.api.Gid;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What crash-test participants did, in their own SQLite database: every call is appended to {@code
 * calls}; the business effect goes to {@code effects} under a unique key in the same local
 * transaction, so a repeated call is seen but acts once (what the participant barrier does).
 */
final class Effects {
  private final String url;

  Effects(Path file) {
    this.url = "jdbc:sqlite:" + file.toAbsolutePath();
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("CREATE TABLE IF NOT EXISTS calls (gid TEXT, branch TEXT, op TEXT)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS effects (gid TEXT, branch TEXT, op TEXT,"
              + " PRIMARY KEY (gid, branch, op))");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection(url);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA synchronous=FULL");
      s.execute("PRAGMA busy_timeout=30000");
    }
    return c;
  }

  void record(BranchContext ctx, String op) throws SQLException {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try (PreparedStatement call =
              c.prepareStatement("INSERT INTO calls (gid, branch, op) VALUES (?, ?, ?)");
          PreparedStatement effect =
              c.prepareStatement(
                  "INSERT OR IGNORE INTO effects (gid, branch, op) VALUES (?, ?, ?)")) {
        for (PreparedStatement p : new PreparedStatement[] {call, effect}) {
          p.setString(1, ctx.gid().value());
          p.setString(2, ctx.branchId().value());
          p.setString(3, op);
          p.executeUpdate();
        }
      }
      c.commit();
    }
  }

  int calls(Gid gid, String branch, String op) {
    return count("calls", gid, branch, op);
  }

  int effects(Gid gid, String branch, String op) {
    return count("effects", gid, branch, op);
  }

  private int count(String table, Gid gid, String branch, String op) {
    try (Connection c = connect();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT COUNT(*) FROM " + table + " WHERE gid = ? AND branch = ? AND op = ?")) {
      p.setString(1, gid.value());
      p.setString(2, branch);
      p.setString(3, op);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
