package dev.cohort.jdbc;

import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

class PostgresMigrationIT extends MigrationContract {
  private TestServices services;
  private DatabasePair db;

  @BeforeEach
  void isolate() {
    services = TestServices.load();
    db = services.postgres().isolated("jdbc_migrations");
  }

  @AfterEach
  void close() {
    services.close();
  }

  @Override
  Connection connect() throws SQLException {
    return DriverManager.getConnection(db.primaryUrl(), db.user(), db.password());
  }

  @Override
  Database database() {
    return Database.POSTGRESQL;
  }

  @Override
  String holderWords() {
    return "held by pid";
  }
}
