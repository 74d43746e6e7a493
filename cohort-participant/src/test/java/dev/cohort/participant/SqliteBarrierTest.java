package dev.cohort.participant;

import dev.cohort.jdbc.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The barrier contract on an SQLite file under target/ (no server needed). */
class SqliteBarrierTest extends BarrierContract {
  private Path file;

  @Override
  protected DataSource openDatabase() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "sqlite"));
    file = dir.resolve("barrier-contract-" + ProcessHandle.current().pid() + ".db");
    Files.deleteIfExists(file);
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setBusyTimeout(10_000);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    return ds;
  }

  @Override
  protected void closeDatabase() throws Exception {
    Files.deleteIfExists(file);
  }

  @Override
  protected Database expectedDatabase() {
    return Database.SQLITE;
  }
}
