package dev.cohort.store.jdbc;

import dev.cohort.jdbc.Database;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class MariaDbConsoleSessionIT extends ConsoleSessionContract {
  static TestServices services;
  static DatabasePair db;

  @BeforeAll
  static void openDatabase() {
    services = TestServices.load();
    db = services.mariadb().isolated("cohort_session_it");
  }

  @AfterAll
  static void closeServices() {
    services.close();
  }

  @Override
  JdbcTransactionStore freshLog() {
    LogTables.dropAll(db.primary());
    return JdbcTransactionStore.builder(db.primary(), Database.MARIADB).build();
  }
}
