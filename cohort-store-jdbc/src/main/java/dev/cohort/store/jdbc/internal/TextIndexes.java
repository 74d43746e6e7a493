package dev.cohort.store.jdbc.internal;

import dev.cohort.jdbc.Database;
import dev.cohort.jdbc.SqlScripts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The log's optional text indexes (docs/console.md, "Search"): PostgreSQL trigram GIN indexes,
 * SQLite FTS5 tables kept by triggers, MariaDB FULLTEXT indexes. They make a rare-text search of a
 * large log fast and cost every write of the log — on SQLite a transaction's writes cost several
 * times as much — so only a store built with {@code textIndexes(true)} (the server's default)
 * creates them, under the migration lock, when it opens the log. A store without the option neither
 * creates nor drops them: it searches by scanning rows, which is correct either way.
 */
public final class TextIndexes {
  private TextIndexes() {}

  /** Creates the indexes that are missing; each script's statements may run again. */
  public static void create(Connection c, Database database) throws SQLException {
    if (database == Database.SQLITE && exists(c, "cohort_branch_text")) {
      // The FTS tables, their rebuild and their triggers are made in one transaction: all or none.
      return;
    }
    String resource = "/dev/cohort/log/sql/" + database.id() + "/text_indexes.sql";
    try (Statement s = c.createStatement()) {
      for (String sql : SqlScripts.read(TextIndexes.class, resource)) {
        s.execute(sql);
      }
    }
  }

  private static boolean exists(Connection c, String table) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      p.setString(1, table);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next();
      }
    }
  }
}
