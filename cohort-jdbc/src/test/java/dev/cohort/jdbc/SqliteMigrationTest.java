package dev.cohort.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

class SqliteMigrationTest extends MigrationContract {
  @TempDir Path dir;

  @Override
  Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("migrations.db"));
  }

  @Override
  Database database() {
    return Database.SQLITE;
  }

  @Override
  String holderWords() {
    return "another process has the file open in a write transaction";
  }
}
