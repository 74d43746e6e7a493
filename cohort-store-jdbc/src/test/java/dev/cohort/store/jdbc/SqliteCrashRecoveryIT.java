package dev.cohort.store.jdbc;

/** The kill points on a SQLite log (a file in the test's directory). */
class SqliteCrashRecoveryIT extends CrashRecoveryContract {
  @Override
  CrashLog freshLog() {
    return CrashLog.sqlite(dir.resolve("log.db"));
  }
}
