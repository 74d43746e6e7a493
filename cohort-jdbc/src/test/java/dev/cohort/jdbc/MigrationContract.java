package dev.cohort.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.jdbc.internal.History;
import dev.cohort.jdbc.internal.SchemaLock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the migration runner promises on every database; subclasses open the database. */
abstract class MigrationContract {
  static final String TABLE = "items";
  static final int MIGRATORS = 4;

  /** A new connection to the test's database, each call its own session. */
  abstract Connection connect() throws SQLException;

  abstract Database database();

  /** Words the lock-timeout message uses to name the session holding the lock. */
  abstract String holderWords();

  static Schema schema() {
    return Schema.builder("testcomp", MigrationContract.class)
        .historyTable("items_schema_version")
        .version("create_items")
        .version("index_names")
        .placeholder("table", TABLE)
        .preHistoryTable(TABLE)
        .build();
  }

  @Test
  void detectsTheDatabaseFromTheConnection() throws SQLException {
    try (Connection c = connect()) {
      assertThat(Database.of(c)).isEqualTo(database());
    }
  }

  @Test
  void freshDatabaseGetsEveryVersion() throws SQLException {
    try (Connection c = connect()) {
      MigrationResult r = SchemaMigrator.of(schema()).migrate(c, database());

      assertThat(r.fromVersion()).isZero();
      assertThat(r.toVersion()).isEqualTo(2);
      assertThat(r.adoptedPreHistory()).isFalse();
      assertThat(recordedVersions(c)).containsExactly(1, 2);
      insertItem(c, 1);
    }
  }

  @Test
  void currentDatabaseIsLeftAlone() throws SQLException {
    try (Connection c = connect()) {
      SchemaMigrator migrator = SchemaMigrator.of(schema());
      migrator.migrate(c, database());
      insertItem(c, 1);

      MigrationResult again = migrator.migrate(c, database());

      assertThat(again.changed()).isFalse();
      assertThat(again.toVersion()).isEqualTo(2);
      assertThat(recordedVersions(c)).containsExactly(1, 2);
      assertThat(countItems(c)).isEqualTo(1);
    }
  }

  @Test
  void tablesMadeBeforeTheHistoryAreRecordedAsVersionOne() throws SQLException {
    try (Connection c = connect()) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE items (id INT NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL)");
      }
      insertItem(c, 7);

      MigrationResult r = SchemaMigrator.of(schema()).migrate(c, database());

      assertThat(r.adoptedPreHistory()).isTrue();
      assertThat(r.fromVersion()).isZero();
      assertThat(r.toVersion()).isEqualTo(2);
      assertThat(recordedVersions(c)).containsExactly(1, 2);
      assertThat(countItems(c)).isEqualTo(1);
    }
  }

  @Test
  void refusesASchemaNewerThanItKnows() throws SQLException {
    try (Connection c = connect()) {
      SchemaMigrator migrator = SchemaMigrator.of(schema());
      migrator.migrate(c, database());
      new History("items_schema_version").record(c, 3, 0);

      assertThatThrownBy(() -> migrator.migrate(c, database()))
          .isInstanceOf(SchemaException.class)
          .hasMessageContaining("at version 3")
          .hasMessageContaining("versions up to 2");
      assertThatThrownBy(() -> migrator.verify(c, database())).isInstanceOf(SchemaException.class);
    }
  }

  @Test
  void verifyFailsUntilMigratedAndChangesNothing() throws SQLException {
    try (Connection c = connect()) {
      SchemaMigrator migrator = SchemaMigrator.of(schema());

      assertThatThrownBy(() -> migrator.verify(c, database()))
          .isInstanceOf(SchemaException.class)
          .hasMessageContaining("at version 0")
          .hasMessageContaining("needs version 2")
          .hasMessageContaining("cohort schema --database " + database().id());
      assertThat(History.tableExists(c, TABLE)).isFalse();

      migrator.migrate(c, database());
      assertThat(migrator.verify(c, database())).isEqualTo(2);
    }
  }

  @Test
  void exportedScriptAppliedByHandPassesVerification() throws SQLException {
    SchemaMigrator migrator = SchemaMigrator.of(schema());
    String script = migrator.export(database());
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (String sql : dev.cohort.jdbc.internal.SqlScript.split(script)) {
        s.execute(sql);
      }
      assertThat(migrator.verify(c, database())).isEqualTo(2);
      assertThat(migrator.migrate(c, database()).changed()).isFalse();
      insertItem(c, 1);
    }
  }

  @Test
  void concurrentMigratorsApplyEachVersionOnce() throws Exception {
    SchemaMigrator migrator = SchemaMigrator.of(schema());
    CountDownLatch start = new CountDownLatch(1);
    List<Callable<MigrationResult>> tasks = new ArrayList<>();
    for (int i = 0; i < MIGRATORS; i++) {
      tasks.add(() -> {
        try (Connection c = connect()) {
          start.await();
          return migrator.migrate(c, database());
        }
      });
    }
    ExecutorService pool = Executors.newFixedThreadPool(MIGRATORS);
    try {
      List<Future<MigrationResult>> futures = new ArrayList<>();
      for (Callable<MigrationResult> task : tasks) {
        futures.add(pool.submit(task));
      }
      start.countDown();
      List<MigrationResult> results = new ArrayList<>();
      for (Future<MigrationResult> f : futures) {
        results.add(f.get(2, TimeUnit.MINUTES));
      }

      assertThat(results).filteredOn(MigrationResult::changed).hasSize(1);
      assertThat(results).allSatisfy(r -> assertThat(r.toVersion()).isEqualTo(2));
      try (Connection c = connect()) {
        assertThat(recordedVersions(c)).containsExactly(1, 2);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void lockHeldTooLongFailsNamingTheHolder() throws SQLException {
    Schema schema = schema();
    SchemaMigrator impatient =
        SchemaMigrator.builder(schema).lockTimeout(Duration.ofMillis(1500)).build();
    SchemaLock held =
        SchemaLock.of(
            database(),
            schema.component(),
            SchemaLock.nameFor(schema.historyTable()),
            Duration.ofSeconds(5));
    try (Connection holder = connect();
        Connection waiter = connect()) {
      held.holding(
          holder,
          () -> {
            assertThatThrownBy(() -> impatient.migrate(waiter, database()))
                .isInstanceOf(SchemaLockTimeoutException.class)
                .hasMessageContaining("schema 'testcomp'")
                .hasMessageContaining(holderWords());
            return null;
          });
      assertThat(impatient.migrate(waiter, database()).toVersion()).isEqualTo(2);
    }
  }

  static List<Integer> recordedVersions(Connection c) throws SQLException {
    List<Integer> versions = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT version FROM items_schema_version ORDER BY version")) {
      while (rs.next()) {
        versions.add(rs.getInt(1));
      }
    }
    return versions;
  }

  static void insertItem(Connection c, int id) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO items (id, name) VALUES (" + id + ", 'n" + id + "')");
    }
  }

  static long countItems(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM items")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
