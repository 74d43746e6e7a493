package dev.cohort.server;

import dev.cohort.coordinator.spi.TransactionStore;
import dev.cohort.jdbc.Database;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The endpoint contract with the log on a real PostgreSQL, as a multi-node deployment runs it. */
class PostgresServerIT extends ServerContract {
  static TestServices services;
  static DatabasePair db;

  @BeforeAll
  static void openDatabase() {
    services = TestServices.load();
    db = services.postgres().isolated("cohort_server_it");
  }

  @AfterAll
  static void closeDatabase() {
    services.close();
  }

  @Override
  TransactionStore newStore() throws Exception {
    DataSource ds = db.primary();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS cohort_attempt");
      s.execute("DROP TABLE IF EXISTS cohort_branch");
      s.execute("DROP TABLE IF EXISTS cohort_global");
      s.execute("DROP TABLE IF EXISTS cohort_audit");
      s.execute("DROP TABLE IF EXISTS cohort_console_session");
      s.execute("DROP TABLE IF EXISTS cohort_schema_version");
    }
    return JdbcTransactionStore.builder(ds, Database.POSTGRESQL).build();
  }
}
