package dev.cohort.replica;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** How the scenario "services" get connections: the same business code under both routings. */
interface Routing {
  Connection forWrite() throws SQLException;

  Connection forRead() throws SQLException;

  /** Cohort: one data source for everything; it decides. */
  static Routing cohort(DataSource routing) {
    return new Routing() {
      @Override
      public Connection forWrite() throws SQLException {
        return routing.getConnection();
      }

      @Override
      public Connection forRead() throws SQLException {
        return routing.getConnection();
      }
    };
  }
}
