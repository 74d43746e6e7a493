package dev.cohort.participant;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The race on an SQLite file (WAL): writers queue on the database lock instead of failing. */
class SqliteBarrierRaceTest extends BarrierRaceContract {
  private Path file;

  @Override
  DataSource openPool(int size) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "sqlite"));
    file = dir.resolve("barrier-race-" + ProcessHandle.current().pid() + ".db");
    Files.deleteIfExists(file);
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setBusyTimeout(30_000);
    // The race is about locking, not durability: skip the fsync per commit.
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    return ds;
  }

  @Override
  void closePool() throws Exception {
    Files.deleteIfExists(file);
  }

  @Override
  String settingQuery() {
    return "PRAGMA journal_mode";
  }

  @Override
  String expectedSetting() {
    return "wal";
  }
}
