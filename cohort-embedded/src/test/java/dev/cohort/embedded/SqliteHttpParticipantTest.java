package dev.cohort.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The HTTP participant contract with the participant's data in an SQLite file. */
class SqliteHttpParticipantTest extends HttpParticipantContract {
  private Path file;

  @Override
  protected DataSource openDatabase() throws Exception {
    file = Files.createTempFile(dir, "stock", ".db");
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setBusyTimeout(10_000);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    return ds;
  }

  @Override
  protected void closeDatabase() {}
}
