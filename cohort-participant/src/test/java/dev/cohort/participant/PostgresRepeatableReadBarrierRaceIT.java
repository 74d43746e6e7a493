package dev.cohort.participant;

/**
 * The race on PostgreSQL in REPEATABLE READ: a barrier insert that waited for a concurrent one
 * fails with a serialization error there, which the barrier must retry, not answer wrongly.
 */
class PostgresRepeatableReadBarrierRaceIT extends PostgresBarrierRaceIT {
  @Override
  String isolation() {
    return "TRANSACTION_REPEATABLE_READ";
  }

  @Override
  String expectedSetting() {
    return "repeatable read";
  }
}
