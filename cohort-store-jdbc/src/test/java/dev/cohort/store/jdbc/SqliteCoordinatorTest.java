package dev.cohort.store.jdbc;

import dev.cohort.coordinator.IncrementalContract;
import dev.cohort.coordinator.spi.TransactionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The engine's contract on the embedded SQLite log (a real file, fsync on). */
class SqliteCoordinatorTest extends IncrementalContract {
  @TempDir static Path dir;
  private Path file;

  @Override
  protected TransactionStore freshStore() {
    try {
      file = Files.createTempFile(dir, "log", ".db");
      Files.delete(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return JdbcTransactionStore.sqlite(file);
  }

  @Override
  protected TransactionStore reopenStore() {
    store.close();
    store = JdbcTransactionStore.sqlite(file);
    return store;
  }
}
