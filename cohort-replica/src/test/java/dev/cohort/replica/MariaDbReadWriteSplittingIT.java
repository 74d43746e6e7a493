package dev.cohort.replica;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
  void createRecordVisit() throws SQLException {
    global(db.primary(), "CREATE TABLE IF NOT EXISTS visit (id BIGINT PRIMARY KEY)");
    // INVOKER: the insert runs as the caller, to whom the replica's read_only applies.
    // DETERMINISTIC only to satisfy the binlog's check; the pair replicates rows, not calls.
    global(
        db.primary(),
        "CREATE FUNCTION IF NOT EXISTS record_visit(k BIGINT) RETURNS BIGINT DETERMINISTIC"
            + " MODIFIES SQL DATA"
            + " SQL SECURITY INVOKER BEGIN INSERT INTO visit VALUES (k); RETURN k; END");
    String schema;
    try (Connection c = db.primary().getConnection()) {
      schema = c.getCatalog();
    }
    global(db.primary(), "CREATE USER IF NOT EXISTS 'cohort_app'@'%' IDENTIFIED BY 'app'");
    global(
        db.primary(),
        "GRANT SELECT, INSERT, UPDATE, DELETE, EXECUTE ON `" + schema + "`.* TO 'cohort_app'@'%'");
  }

  /**
   * The services' own user may bypass {@code read_only} (it holds every privilege); an application
   * user does not.
   */
  @Override
  RoutingDataSource appRouting() {
    HikariDataSource primary = appPool(db.primaryUrl());
    HikariDataSource replica = appPool(db.replicaUrl());
    RoutingDataSource routing =
        RoutingDataSource.builder()
            .primary("primary", primary)
            .replica("replica", replica)
            .options(ReplicaOptions.builder().sourceId(SOURCE).build())
            .build();
    appPools.add(primary);
    appPools.add(replica);
    return routing;
  }

  private final java.util.List<HikariDataSource> appPools = new java.util.ArrayList<>();

  @org.junit.jupiter.api.AfterAll
  void closeAppPools() {
    appPools.forEach(HikariDataSource::close);
  }

  private static HikariDataSource appPool(String url) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    c.setUsername("cohort_app");
    c.setPassword("app");
    c.setMaximumPoolSize(2);
    return new HikariDataSource(c);
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
