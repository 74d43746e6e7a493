package dev.cohort.store.jdbc;

import dev.cohort.jdbc.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteTextSearchTest extends TextSearchContract {
  @TempDir Path dir;

  @Override
  JdbcTransactionStore freshLog() {
    return JdbcTransactionStore.sqlite(dir.resolve("log.db"));
  }

  @Override
  Database database() {
    return Database.SQLITE;
  }
}
