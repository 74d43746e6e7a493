package dev.cohort.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try")
class PostgresReadWriteSplittingIT extends ReadWriteSplittingContract {
  @Override
  DatabasePair openPair(TestServices services) {
    return services.postgres().isolated("rw_split_pg");
  }

  @Override
  void holdReplication() throws SQLException {
    try (Connection c = db.replica().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SELECT pg_wal_replay_pause()");
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "paused".equals(replica("SELECT pg_get_wal_replay_pause_state()")));
  }

  @Override
  void releaseReplication() throws SQLException {
    try (Connection c = db.replica().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SELECT pg_wal_replay_resume()");
    }
  }

  @Override
  void createRecordVisit() throws SQLException {
    primary("CREATE TABLE IF NOT EXISTS visit (id BIGINT PRIMARY KEY)");
    primary(
        "CREATE OR REPLACE FUNCTION record_visit(k BIGINT) RETURNS BIGINT LANGUAGE sql"
            + " AS 'INSERT INTO visit VALUES (k) RETURNING id'");
  }

  /** A hot standby refuses writes from every user. */
  @Override
  RoutingDataSource appRouting() {
    return build(ReplicaOptions.builder().sourceId(SOURCE).build());
  }

  @Test
  void criticalWriteIsAppliedOnTheStandbyBeforeCommitReturns() throws Exception {
    long id = nextId();
    seed("INSERT INTO profile VALUES (?, 'Old')", id);
    replicated();
    // '*' rather than 'cohort_replica': pg_basebackup -R writes a primary_conninfo into
    // postgresql.auto.conf that overrides the one scripts/services sets, so the standby reports
    // itself as 'walreceiver'.
    primary("ALTER SYSTEM SET synchronous_standby_names = '*'");
    try {
      primary("SELECT pg_reload_conf()");
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() ->
              assertThat(
                      primaryValue(
                          "SELECT current_setting('synchronous_standby_names') || ':'"
                              + " || coalesce(string_agg(sync_state, ','), '')"
                              + " FROM pg_stat_replication"))
                  .isEqualTo("*:sync"));
      SyncGuarantee guarantee;
      try (CriticalWrite critical = routing.criticalWrite()) {
        cohort.updateProfile(id, "New");
        guarantee = critical.guarantee();
      }
      assertThat(guarantee.applyGuaranteed()).as(guarantee.detail()).isTrue();
      assertThat(guarantee.mechanism()).isEqualTo("remote_apply");
      assertThat(new Shop(new NaiveRouting(db.primary(), List.of(db.replica()))).profileName(id))
          .as("the standby had applied it when the commit returned")
          .isEqualTo("New");
    } finally {
      primary("ALTER SYSTEM RESET synchronous_standby_names");
      primary("SELECT pg_reload_conf()");
    }
  }

  @Test
  void criticalWriteWithoutASynchronousStandbySaysSo() throws Exception {
    long id = nextId();
    seed("INSERT INTO profile VALUES (?, 'Old')", id);
    SyncGuarantee guarantee;
    try (CriticalWrite critical = routing.criticalWrite()) {
      cohort.updateProfile(id, "New");
      guarantee = critical.guarantee();
    }
    assertThat(guarantee.applyGuaranteed()).isFalse();
    assertThat(guarantee.detail()).contains("synchronous_standby_names=''");
  }

  @Test
  void readOnAReplicaThatDropsTheSessionIsRunAgainOnThePrimary() throws Exception {
    long id = nextId();
    seed("INSERT INTO profile VALUES (?, 'Old')", id);
    replicated();
    try (RoutingDataSource eventual =
            build(
                ReplicaOptions.builder()
                    .sourceId(SOURCE)
                    .defaultPolicy(ConsistencyPolicy.EVENTUAL)
                    .build());
        Connection c = eventual.getConnection();
        PreparedStatement read =
            c.prepareStatement("SELECT name, pg_is_in_recovery() FROM profile WHERE id = ?")) {
      read.setLong(1, id);
      int pid;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_backend_pid(), pg_is_in_recovery()")) {
        rs.next();
        pid = rs.getInt(1);
        assertThat(rs.getBoolean(2)).as("served by the replica").isTrue();
      }
      try (Connection admin = db.replica().getConnection();
          Statement s = admin.createStatement()) {
        s.execute("SELECT pg_terminate_backend(" + pid + ", 5000)");
      }
      try (ResultSet rs = read.executeQuery()) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("Old");
        assertThat(rs.getBoolean(2)).as("run again on the primary").isFalse();
      }
      assertThat(
              eventual
                  .meterRegistry()
                  .find("cohort.replica.fallbacks")
                  .tag("reason", "replica_error")
                  .counter()
                  .count())
          .isEqualTo(1.0);
    }
  }

  private void primary(String sql) throws SQLException {
    try (Connection c = db.primary().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private String primaryValue(String sql) throws SQLException {
    try (Connection c = db.primary().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Override
  String kindTag() {
    return "pg";
  }

  private String replica(String sql) throws SQLException {
    try (Connection c = db.replica().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
