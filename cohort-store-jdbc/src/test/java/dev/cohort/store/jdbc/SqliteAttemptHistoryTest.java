package dev.cohort.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.cohort.jdbc.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteAttemptHistoryTest extends AttemptHistoryContract {
  @TempDir Path dir;

  @Override
  JdbcTransactionStore freshLog() {
    HikariDataSource pool = new HikariDataSource();
    pool.setJdbcUrl("jdbc:sqlite:" + dir.resolve("log.db"));
    pool.setMaximumPoolSize(2);
    return JdbcTransactionStore.builder(pool, Database.SQLITE)
        .attemptsKept(KEPT)
        .closePoolOnClose(pool)
        .build();
  }
}
