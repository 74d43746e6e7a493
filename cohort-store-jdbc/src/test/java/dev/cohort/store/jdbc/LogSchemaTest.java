package dev.cohort.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.cohort.api.Gid;
import dev.cohort.coordinator.spi.StoreException;
import dev.cohort.jdbc.Database;
import dev.cohort.jdbc.SchemaMigrator;
import dev.cohort.jdbc.SchemaMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log's schema through cohort-jdbc: logs made by earlier builds, verify-only, export. */
class LogSchemaTest {
  /** What the log's own migration code (before cohort-jdbc) ran on SQLite, word for word. */
  private static final String[] EARLIER_BUILD_DDL = {
    "CREATE TABLE IF NOT EXISTS cohort_schema_version ("
        + "version INT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)",
    "CREATE TABLE cohort_global (gid VARCHAR(128) NOT NULL PRIMARY KEY, mode VARCHAR(16) NOT NULL,"
        + " status VARCHAR(24) NOT NULL, resume_status VARCHAR(24), parallel_tries SMALLINT NOT"
        + " NULL, deadline_at BIGINT NOT NULL, next_attempt_at BIGINT NOT NULL, attempts INT NOT"
        + " NULL, phase_started_at BIGINT, lease_owner VARCHAR(128) NOT NULL, lease_until BIGINT"
        + " NOT NULL, reason TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
    "CREATE INDEX cohort_global_due ON cohort_global (status, next_attempt_at)",
    "CREATE TABLE cohort_branch (gid VARCHAR(128) NOT NULL, branch_id VARCHAR(128) NOT NULL, seq"
        + " INT NOT NULL, participant VARCHAR(128) NOT NULL, payload TEXT, forward_recovery"
        + " SMALLINT NOT NULL, status VARCHAR(24) NOT NULL, attempts INT NOT NULL, last_error"
        + " TEXT, PRIMARY KEY (gid, branch_id))"
  };

  @TempDir Path dir;

  @Test
  void logMadeByAnEarlierBuildOpensAsItIs() throws Exception {
    Path file = dir.resolve("earlier.db");
    runEarlierBuild(file, true);

    try (JdbcTransactionStore store = JdbcTransactionStore.sqlite(file)) {
      store.open();
      assertThat(store.load(Gid.of("none"))).isEmpty();
    }
    // Version 1 is kept as the earlier build recorded it; only the console's versions are added.
    assertThat(versions(file)).isEqualTo("1,2,3,4,5,6");
  }

  @Test
  void tablesWithoutHistoryAreRecordedAsVersionOne() throws Exception {
    Path file = dir.resolve("prehistory.db");
    runEarlierBuild(file, false);

    try (JdbcTransactionStore store = JdbcTransactionStore.sqlite(file)) {
      store.open();
    }
    assertThat(versions(file)).isEqualTo("1,2,3,4,5,6");
  }

  @Test
  void verifyOnlyRefusesAnEmptyDatabaseAndAcceptsTheExportedScript() throws Exception {
    Path file = dir.resolve("verify.db");
    try (HikariDataSource pool = pool(file)) {
      JdbcTransactionStore store =
          JdbcTransactionStore.builder(pool, Database.SQLITE).schemaMode(SchemaMode.VERIFY).build();
      assertThatThrownBy(store::open)
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("at version 0")
          .hasMessageContaining("cohort schema --database sqlite --component log");

      List<String> statements =
          SchemaMigrator.of(JdbcTransactionStore.schema()).exportStatements(Database.SQLITE);
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        for (String sql : statements) {
          s.execute(sql);
        }
      }
      store.open();
      assertThat(store.load(Gid.of("none"))).isEmpty();
      store.close();
    }
  }

  private static HikariDataSource pool(Path file) {
    HikariDataSource pool = new HikariDataSource();
    pool.setJdbcUrl("jdbc:sqlite:" + file);
    pool.setMaximumPoolSize(2);
    return pool;
  }

  private static void runEarlierBuild(Path file, boolean withHistory) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      for (int i = withHistory ? 0 : 1; i < EARLIER_BUILD_DDL.length; i++) {
        s.execute(EARLIER_BUILD_DDL[i]);
      }
      if (withHistory) {
        s.execute("INSERT INTO cohort_schema_version (version, applied_at) VALUES (1, 5)");
      }
    }
  }

  private static String versions(Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT group_concat(version) FROM cohort_schema_version")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
