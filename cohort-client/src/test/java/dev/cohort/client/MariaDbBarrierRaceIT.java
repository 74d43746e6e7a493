package dev.cohort.client;

import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;

/** The race on MariaDB in REPEATABLE READ, where gap locks make naive barriers deadlock. */
class MariaDbBarrierRaceIT extends BarrierRaceContract {
  @Override
  DatabasePair database(TestServices services) {
    return services.mariadb();
  }

  @Override
  String isolation() {
    return "TRANSACTION_REPEATABLE_READ";
  }

  @Override
  String isolationQuery() {
    return "SELECT @@SESSION.tx_isolation";
  }

  @Override
  String expectedIsolation() {
    return "REPEATABLE-READ";
  }
}
