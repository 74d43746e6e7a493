package dev.cohort.messaging;

import java.nio.file.Path;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** Messaging tables on an SQLite file in a test's temporary directory. */
final class SqliteTables {
  private SqliteTables() {}

  static MessagingTables in(Path dir) {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(5_000);
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + dir.resolve("service.db"));
    return MessagingTables.of(ds).migrate();
  }
}
