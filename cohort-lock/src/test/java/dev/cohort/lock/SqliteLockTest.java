package dev.cohort.lock;

import dev.cohort.jdbc.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

class SqliteLockTest extends LockContract {
  private Path file;

  @Override
  DataSource open() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "sqlite"));
    file = dir.resolve("locks-" + ProcessHandle.current().pid() + ".db");
    Files.deleteIfExists(file);
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setBusyTimeout(30_000);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    return ds;
  }

  @Override
  Database database() {
    return Database.SQLITE;
  }

  @Override
  boolean writersInterleave() {
    return false;
  }

  @Override
  void close() throws Exception {
    Files.deleteIfExists(file);
  }
}
