package dev.cohort.store.jdbc;

import dev.cohort.jdbc.Database;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
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
    LogTables.dropAll(db.primary());
    return new CrashLog(Database.POSTGRESQL, db.primaryUrl(), db.user(), db.password());
  }
}
