package dev.cohort.server;

import dev.cohort.coordinator.spi.TransactionStore;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteServerTest extends ServerContract {
  @TempDir Path dir;

  @Override
  TransactionStore newStore() {
    return JdbcTransactionStore.sqlite(dir.resolve("log.db"));
  }
}
