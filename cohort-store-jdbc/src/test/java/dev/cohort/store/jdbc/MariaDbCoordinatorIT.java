package dev.cohort.store.jdbc;

import dev.cohort.jdbc.Database;
import dev.cohort.testsupport.TestServices;
import org.junit.jupiter.api.BeforeAll;

class MariaDbCoordinatorIT extends ServerLogContract {
  @BeforeAll
  static void openDatabase() {
    services = TestServices.load();
    db = services.mariadb().isolated("cohort_engine_it");
  }

  @Override
  Database database() {
    return Database.MARIADB;
  }
}
