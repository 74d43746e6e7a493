package dev.cohort.store.jdbc;

import dev.cohort.jdbc.Database;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresTextSearchIT extends TextSearchContract {
  static TestServices services;
  static DatabasePair db;

  @BeforeAll
  static void openDatabase() {
    services = TestServices.load();
    db = services.postgres().isolated("cohort_search_it");
  }

  @AfterAll
  static void closeServices() {
    services.close();
  }

  @Override
  JdbcTransactionStore freshLog(boolean indexed) {
    LogTables.dropAll(db.primary());
    return reopenLog(indexed);
  }

  @Override
  JdbcTransactionStore reopenLog(boolean indexed) {
    return JdbcTransactionStore.builder(db.primary(), Database.POSTGRESQL)
        .textIndexes(indexed)
        .build();
  }

  @Override
  long textIndexObjects() throws Exception {
    try (Connection c = db.primary().getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE '%\\_trgm'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  Database database() {
    return Database.POSTGRESQL;
  }
}
