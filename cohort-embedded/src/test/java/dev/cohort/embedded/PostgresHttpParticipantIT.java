package dev.cohort.embedded;

import dev.cohort.testsupport.TestServices;
import javax.sql.DataSource;

/** The HTTP participant contract with the participant's data in the real PostgreSQL. */
class PostgresHttpParticipantIT extends HttpParticipantContract {
  private TestServices services;

  @Override
  protected DataSource openDatabase() {
    services = TestServices.load();
    return services.postgres().isolated("http_participant").primary();
  }

  @Override
  protected void closeDatabase() {
    if (services != null) {
      services.close();
    }
  }
}
