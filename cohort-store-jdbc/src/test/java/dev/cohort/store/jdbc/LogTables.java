package dev.cohort.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Drops every table of the log, so the next store starts from an empty schema. */
final class LogTables {
  /** Children first; the version table last, so a half-dropped log is migrated again. */
  private static final String[] TABLES = {
    "cohort_global_text",
    "cohort_branch_text",
    "cohort_attempt",
    "cohort_branch",
    "cohort_global",
    "cohort_audit",
    "cohort_console_session",
    "cohort_schema_version"
  };

  private LogTables() {}

  static void dropAll(DataSource ds) {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      for (String table : TABLES) {
        s.execute("DROP TABLE IF EXISTS " + table);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop the log's tables", e);
    }
  }
}
