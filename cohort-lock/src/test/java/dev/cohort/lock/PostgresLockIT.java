package dev.cohort.lock;

import dev.cohort.jdbc.Database;
import dev.cohort.testsupport.TestServices;
import javax.sql.DataSource;

class PostgresLockIT extends LockContract {
  private TestServices services;

  @Override
  DataSource open() {
    services = TestServices.load();
    return services.postgres().isolated("lock_it").primary();
  }

  @Override
  Database database() {
    return Database.POSTGRESQL;
  }

  @Override
  void close() {
    services.close();
  }
}
