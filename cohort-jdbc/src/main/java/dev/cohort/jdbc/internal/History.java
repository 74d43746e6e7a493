package dev.cohort.jdbc.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A component's history table: one row per applied version. Same shape as the log's original {@code
 * cohort_schema_version}, so logs made before this runner existed read as they are.
 */
public final class History {
  private final String table;

  public History(String table) {
    this.table = table;
  }

  public String createSql() {
    return "CREATE TABLE IF NOT EXISTS "
        + table
        + " (version INT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)";
  }

  public String recordSql(int version, long appliedAtMillis) {
    return "INSERT INTO "
        + table
        + " (version, applied_at) VALUES ("
        + version
        + ", "
        + appliedAtMillis
        + ")";
  }

  public void create(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(createSql());
    }
  }

  /** The highest version recorded; 0 when none (or no table). */
  public int current(Connection c) throws SQLException {
    if (!tableExists(c, table)) {
      return 0;
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAX(version) FROM " + table)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  public void record(Connection c, int version, long appliedAtMillis) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("INSERT INTO " + table + " (version, applied_at) VALUES (?, ?)")) {
      p.setInt(1, version);
      p.setLong(2, appliedAtMillis);
      p.executeUpdate();
    }
  }

  /**
   * Whether a table exists in the connection's current schema (PostgreSQL), database (MariaDB) or
   * file (SQLite). Asks the metadata rather than probing with a query: a failed query would abort a
   * PostgreSQL transaction.
   */
  public static boolean tableExists(Connection c, String name) throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    Set<String> spellings =
        new LinkedHashSet<>(
            java.util.List.of(name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT)));
    for (String spelling : spellings) {
      try (ResultSet rs =
          md.getTables(c.getCatalog(), c.getSchema(), spelling, new String[] {"TABLE"})) {
        while (rs.next()) {
          // The name is a LIKE pattern ('_' matches any character): compare exactly.
          if (name.equalsIgnoreCase(rs.getString("TABLE_NAME"))) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
