package dev.cohort.participant;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import javax.sql.DataSource;

/** The race on a server of {@code scripts/services}, in a given isolation level. */
abstract class ServerBarrierRaceContract extends BarrierRaceContract {
  private TestServices services;
  private HikariDataSource hikari;

  /** The service's database pair, e.g. {@code services.postgres()}. */
  abstract DatabasePair database(TestServices services);

  /** The JDBC isolation level of every connection, e.g. "TRANSACTION_REPEATABLE_READ". */
  abstract String isolation();

  @Override
  DataSource openPool(int size) {
    services = TestServices.load();
    DatabasePair db = database(services).isolated("barrier_race");
    HikariConfig config = new HikariConfig();
    config.setPoolName("barrier-race");
    config.setJdbcUrl(db.primaryUrl());
    config.setUsername(db.user());
    config.setPassword(db.password());
    config.setMaximumPoolSize(size);
    config.setTransactionIsolation(isolation());
    hikari = new HikariDataSource(config);
    return hikari;
  }

  @Override
  void closePool() {
    if (hikari != null) {
      hikari.close();
    }
    if (services != null) {
      services.close();
    }
  }
}
