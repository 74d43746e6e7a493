package dev.cohort.store.jdbc;

import dev.cohort.jdbc.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.io.TempDir;

class SqliteTextSearchTest extends TextSearchContract {
  @TempDir Path dir;

  @Override
  JdbcTransactionStore freshLog(boolean indexed) {
    return reopenLog(indexed);
  }

  @Override
  JdbcTransactionStore reopenLog(boolean indexed) {
    return JdbcTransactionStore.sqliteBuilder(dir.resolve("log.db")).textIndexes(indexed).build();
  }

  @Override
  long textIndexObjects() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("log.db"));
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'cohort_%_text%'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  Database database() {
    return Database.SQLITE;
  }
}
