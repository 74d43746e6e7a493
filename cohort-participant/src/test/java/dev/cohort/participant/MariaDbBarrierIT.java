package dev.cohort.participant;

import dev.cohort.jdbc.Database;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import javax.sql.DataSource;

/** The barrier contract on the real MariaDB of {@code scripts/services}. */
class MariaDbBarrierIT extends BarrierContract {
  private TestServices services;

  @Override
  protected DataSource openDatabase() {
    services = TestServices.load();
    DatabasePair db = services.mariadb().isolated("barrier_contract");
    return db.primary();
  }

  @Override
  protected void closeDatabase() {
    if (services != null) {
      services.close();
    }
  }

  @Override
  protected Database expectedDatabase() {
    return Database.MARIADB;
  }
}
