package dev.cohort.store.jdbc;

import dev.cohort.jdbc.Database;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import org.junit.jupiter.api.BeforeAll;

/** The kill points on a MariaDB log: one schema for the class, emptied for each test. */
class MariaDbCrashRecoveryIT extends CrashRecoveryContract {
  private static DatabasePair db;

  @BeforeAll
  static void openDatabase() {
    db = TestServices.load().mariadb().isolated("cohort_crash_it");
  }

  @Override
  CrashLog freshLog() throws Exception {
    LogTables.dropAll(db.primary());
    return new CrashLog(Database.MARIADB, db.primaryUrl(), db.user(), db.password());
  }
}
