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

  /**
   * scripts/services names the replica as the primary's synchronous standby and keeps {@code
   * synchronous_commit = local} as the default, so only a critical write waits for it. Naive: a
   * plain commit returns while the standby has not applied it (replay held here, to make the window
   * certain). Cohort: a critical write's commit returns once the standby has applied it, so a read
   * of the standby right after sees it.
   */
  @Test
  void criticalWriteIsAppliedOnTheStandbyBeforeCommitReturns() throws Exception {
    long id = nextId();
    seed("INSERT INTO profile VALUES (?, 'Old')", id);
    replicated();
    assertThat(
            primaryValue(
                "SELECT current_setting('synchronous_standby_names') || ':'"
                    + " || coalesce(string_agg(sync_state, ','), '')"
                    + " FROM pg_stat_replication"))
        .as("scripts/services names the replica as the synchronous standby")
        .isEqualTo("cohort_replica:sync");
    Shop standby = new Shop(new NaiveRouting(db.primary(), List.of(db.replica())));
    lagging(() -> {
      naive.updateProfile(id, "Plain");
      assertThat(standby.profileName(id))
          .as("naive: the commit returned, the standby has not applied it")
          .isEqualTo("Old");
    });
    SyncGuarantee guarantee;
    try (CriticalWrite critical = routing.criticalWrite()) {
      cohort.updateProfile(id, "New");
      guarantee = critical.guarantee();
    }
    assertThat(guarantee.applyGuaranteed()).as(guarantee.detail()).isTrue();
    assertThat(guarantee.mechanism()).isEqualTo("remote_apply");
    assertThat(standby.profileName(id))
        .as("cohort: the standby had applied it when the commit returned")
        .isEqualTo("New");
  }

  /**
   * Why Cohort raises a pinned read-only transaction to REPEATABLE READ on PostgreSQL: at the
   * default READ COMMITTED, one read-only transaction on one replica still sees half a transfer,
   * because each statement takes a new snapshot.
   */
  @Test
  void aReadOnlyTransactionAtReadCommittedSeesHalfATransfer() throws Exception {
    long a = nextId();
    long b = nextId();
    seed("INSERT INTO account VALUES (?, 100)", a);
    seed("INSERT INTO account VALUES (?, 100)", b);
    replicated();
    try {
      holdReplication();
      naive.transfer(a, b, "30");
      assertThat(naive.twoBalances(a, b, true, this::letReplicaCatchUp))
          .as("naive read-only transaction at READ COMMITTED")
          .containsExactly(100, 130);
    } finally {
      releaseReplication();
    }
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
