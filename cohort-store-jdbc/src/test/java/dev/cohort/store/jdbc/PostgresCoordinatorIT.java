package dev.cohort.store.jdbc;

import dev.cohort.jdbc.Database;
import dev.cohort.testsupport.TestServices;
import org.junit.jupiter.api.BeforeAll;

class PostgresCoordinatorIT extends ServerLogContract {
  @BeforeAll
  static void openDatabase() {
    services = TestServices.load();
    db = services.postgres().isolated("cohort_engine_it");
  }

  @Override
  Database database() {
    return Database.POSTGRESQL;
  }
}
