package dev.cohort.store.jdbc;

import dev.cohort.coordinator.CoordinatorContract;
import dev.cohort.coordinator.spi.TransactionStore;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

/** The contract on a database server: one schema per class, emptied before each test. */
abstract class ServerLogContract extends CoordinatorContract {
  static TestServices services;
  static DatabasePair db;

  abstract Database database();

  @Override
  protected TransactionStore freshStore() {
    DataSource ds = db.primary();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS cohort_branch");
      s.execute("DROP TABLE IF EXISTS cohort_global");
      s.execute("DROP TABLE IF EXISTS cohort_schema_version");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return JdbcTransactionStore.builder(ds, database()).build();
  }

  @Override
  protected TransactionStore reopenStore() {
    store.close();
    store = JdbcTransactionStore.builder(db.primary(), database()).build();
    return store;
  }

  @AfterAll
  static void closeServices() {
    if (services != null) {
      services.close();
    }
  }
}
