package dev.cohort.store.jdbc;

import dev.cohort.jdbc.Database;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;

/** The kill points on a PostgreSQL log: one schema for the class, emptied for each test. */
class PostgresCrashRecoveryIT extends CrashRecoveryContract {
  private static DatabasePair db;

  @BeforeAll
  static void openDatabase() {
    db = TestServices.load().postgres().isolated("cohort_crash_it");
  }

  @Override
  CrashLog freshLog() throws Exception {
    try (Connection c = db.primary().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS cohort_branch");
      s.execute("DROP TABLE IF EXISTS cohort_global");
      s.execute("DROP TABLE IF EXISTS cohort_schema_version");
    }
    return new CrashLog(Database.POSTGRESQL, db.primaryUrl(), db.user(), db.password());
  }
}
