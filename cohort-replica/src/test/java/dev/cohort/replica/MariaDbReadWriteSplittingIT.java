package dev.cohort.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try")
class MariaDbReadWriteSplittingIT extends ReadWriteSplittingContract {
  @Override
  DatabasePair openPair(TestServices services) {
    return services.mariadb().isolated("rw_split_mdb");
  }

  @Override
  void holdReplication() throws SQLException {
    replica("STOP SLAVE SQL_THREAD");
  }

  @Override
  void releaseReplication() throws SQLException {
    replica("START SLAVE SQL_THREAD");
  }

  @Test
  void criticalWriteSurfacesSemiSyncAndKeepsTheTokenWait() throws Exception {
    long id = nextId();
    seed("INSERT INTO profile VALUES (?, 'Old')", id);
    replicated();
    SyncGuarantee guarantee;
    try (CriticalWrite critical = routing.criticalWrite()) {
      cohort.updateProfile(id, "New");
      assertThat(cohort.profileName(id)).isEqualTo("New");
      guarantee = critical.guarantee();
    }
    assertThat(guarantee.applyGuaranteed()).isFalse();
    assertThat(guarantee.detail()).contains("Rpl_semi_sync_master_status=").contains("not apply");
  }

  /**
   * Role detection by {@code @@read_only}, both ways, without writing anything (the shared pair's
   * replication stays intact): the primary turns read-only and the replica writable, then back.
   */
  @Test
  void readOnlyFlagsSwapRolesAndSwapThemBack() throws Exception {
    try (RoutingDataSource watch =
        build(
            ReplicaOptions.builder()
                .sourceId(SOURCE)
                .pollInterval(java.time.Duration.ofMillis(20))
                .build())) {
      assertThat(watch.primaryName()).isEqualTo("primary");
      try {
        global(db.primary(), "SET GLOBAL read_only = ON");
        global(db.replica(), "SET GLOBAL read_only = OFF");
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(10))
            .until(() -> watch.primaryName().equals("replica"));
      } finally {
        global(db.replica(), "SET GLOBAL read_only = ON");
        global(db.primary(), "SET GLOBAL read_only = OFF");
      }
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> watch.primaryName().equals("primary"));
      assertThat(watch.meterRegistry().find("cohort.replica.failovers").counter().count())
          .isEqualTo(2.0);
    }
  }

  private static void global(javax.sql.DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  String kindTag() {
    return "mdb";
  }

  private void replica(String sql) throws SQLException {
    try (Connection c = db.replica().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
