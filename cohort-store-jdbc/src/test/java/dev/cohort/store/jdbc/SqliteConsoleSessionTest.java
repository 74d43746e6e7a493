package dev.cohort.store.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteConsoleSessionTest extends ConsoleSessionContract {
  @TempDir Path dir;

  @Override
  JdbcTransactionStore freshLog() {
    return JdbcTransactionStore.sqlite(dir.resolve("log.db"));
  }
}
