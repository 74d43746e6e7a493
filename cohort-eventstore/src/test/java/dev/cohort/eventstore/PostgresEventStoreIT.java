package dev.cohort.eventstore;

import dev.cohort.jdbc.Database;
import dev.cohort.testsupport.TestServices;
import javax.sql.DataSource;

class PostgresEventStoreIT extends EventStoreContract {
  private TestServices services;

  @Override
  DataSource open() {
    services = TestServices.load();
    return services.postgres().isolated("eventstore_it").primary();
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
