package dev.cohort.participant;

import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;

/** The race on PostgreSQL in its default READ COMMITTED. */
class PostgresBarrierRaceIT extends ServerBarrierRaceContract {
  @Override
  DatabasePair database(TestServices services) {
    return services.postgres();
  }

  @Override
  String isolation() {
    return "TRANSACTION_READ_COMMITTED";
  }

  @Override
  String settingQuery() {
    return "SHOW transaction_isolation";
  }

  @Override
  String expectedSetting() {
    return "read committed";
  }
}
