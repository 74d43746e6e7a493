package dev.cohort.lock.internal;

import dev.cohort.jdbc.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/** Small JDBC steps shared by the lock classes. */
public final class Jdbc {
  private Jdbc() {}

  /** Binds {@code params} in order and runs the update. */
  public static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, params);
      return s.executeUpdate();
    }
  }

  /** The first column of the first row as a long, if there is a row. */
  public static OptionalLong queryLong(Connection c, String sql, Object... params)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, params);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    }
  }

  /**
   * {@code SELECT <column> FROM <table> WHERE <idColumn> = ?} as a locking read where the database
   * has one: it returns the latest committed value even inside a MariaDB REPEATABLE READ snapshot
   * (whose plain reads would show the value the failed update was checked against), and a
   * cohort-replica routing connection sends it to the primary.
   */
  public static OptionalLong latest(
      Connection c, String table, String column, String idColumn, Object id) throws SQLException {
    String sql = "SELECT " + column + " FROM " + table + " WHERE " + idColumn + " = ?";
    if (Database.of(c) != Database.SQLITE) {
      sql += " FOR UPDATE";
    }
    return queryLong(c, sql, id);
  }

  public static void bind(PreparedStatement s, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      s.setObject(i + 1, params[i]);
    }
  }
}
