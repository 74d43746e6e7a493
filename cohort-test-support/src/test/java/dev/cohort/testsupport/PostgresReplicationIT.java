package dev.cohort.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresReplicationIT {
  private static TestServices services;
  private static DatabasePair db;

  @BeforeAll
  static void open() {
    services = TestServices.load();
    db = services.postgres().isolated("smoke_pg");
  }

  @AfterAll
  static void close() {
    if (services != null) {
      services.close();
    }
  }

  @Test
  void replicaIsInRecoveryAndPrimaryAllowsPreparedTransactions() throws SQLException {
    assertThat(queryString(db, true, "SELECT pg_is_in_recovery()::text")).isEqualTo("true");
    assertThat(queryString(db, false, "SELECT pg_is_in_recovery()::text")).isEqualTo("false");
    assertThat(Integer.parseInt(queryString(db, false, "SHOW max_prepared_transactions")))
        .isPositive();
    assertThat(queryString(db, true, "SHOW recovery_min_apply_delay"))
        .isEqualTo(services.postgresReplicaDelayMillis() + "ms");
    // The name synchronous_standby_names must use for critical (remote_apply) writes.
    assertThat(
            queryString(
                db, false, "SELECT string_agg(application_name, ',') FROM pg_stat_replication"))
        .isEqualTo("cohort_replica");
  }

  @Test
  void replicaLagsBehindAWriteThenCatchesUpByLsn() throws SQLException {
    execute(db, "CREATE TABLE IF NOT EXISTS smoke (id int PRIMARY KEY, note text)");
    execute(db, "TRUNCATE smoke");
    db.awaitReplicaCaughtUp(Duration.ofSeconds(30));

    // Hold replay so the lag is certain, whatever the configured apply delay and machine load.
    pauseReplay(true);
    try {
      execute(db, "INSERT INTO smoke VALUES (1, 'written on the primary')");
      String lsn = db.primaryPosition();

      assertThat(db.replicaHasApplied(lsn)).isFalse();
      assertThat(queryString(db, true, "SELECT count(*)::text FROM smoke")).isEqualTo("0");
    } finally {
      pauseReplay(false);
    }

    String lsn = db.primaryPosition();
    await().atMost(Duration.ofSeconds(30)).until(() -> db.replicaHasApplied(lsn));
    assertThat(queryString(db, true, "SELECT note FROM smoke WHERE id = 1"))
        .isEqualTo("written on the primary");
  }

  @Test
  void preparedTransactionCommitsLater() throws SQLException {
    execute(db, "CREATE TABLE IF NOT EXISTS smoke_xa (id int PRIMARY KEY)");
    execute(db, "DELETE FROM smoke_xa");
    try (Connection c = db.primary().getConnection();
        Statement s = c.createStatement()) {
      s.execute("ROLLBACK PREPARED 'cohort-smoke'");
    } catch (SQLException notThere) {
      // A clean database has no leftover prepared transaction: nothing to roll back.
    }
    try (Connection c = db.primary().getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO smoke_xa VALUES (7)");
        s.execute("PREPARE TRANSACTION 'cohort-smoke'");
      }
      c.setAutoCommit(true);
    }
    assertThat(queryString(db, false, "SELECT count(*)::text FROM pg_prepared_xacts"))
        .isNotEqualTo("0");
    assertThat(queryString(db, false, "SELECT count(*)::text FROM smoke_xa")).isEqualTo("0");
    execute(db, "COMMIT PREPARED 'cohort-smoke'");
    assertThat(queryString(db, false, "SELECT count(*)::text FROM smoke_xa")).isEqualTo("1");
  }

  private static void pauseReplay(boolean pause) throws SQLException {
    try (Connection c = db.replica().getConnection();
        Statement s = c.createStatement()) {
      s.execute(pause ? "SELECT pg_wal_replay_pause()" : "SELECT pg_wal_replay_resume()");
    }
  }

  private static void execute(DatabasePair pair, String sql) throws SQLException {
    try (Connection c = pair.primary().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String queryString(DatabasePair pair, boolean onReplica, String sql)
      throws SQLException {
    try (Connection c = (onReplica ? pair.replica() : pair.primary()).getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
