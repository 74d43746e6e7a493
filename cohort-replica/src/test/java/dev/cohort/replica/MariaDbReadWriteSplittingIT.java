package dev.cohort.replica;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

  /**
   * scripts/services turns semi-synchronous replication on (AFTER_SYNC): a commit returns once the
   * replica has received it. With the replica's SQL thread held, the test proves what that buys and
   * what it does not: when the critical write returns, the replica acknowledged the transaction and
   * has it in its relay log (a failover that first applies the relay log keeps it), but has not
   * applied it, so a naive replica read is stale and Cohort's reads keep waiting for the token.
   */
  @Test
  void criticalWriteRunsOnSemiSyncAndTheReplicaHasReceivedItWhenTheCommitReturns()
      throws Exception {
    long id = nextId();
    seed("INSERT INTO profile VALUES (?, 'Old')", id);
    replicated();
    long acknowledgedBefore = primaryStatus("Rpl_semi_sync_master_yes_tx");
    SyncGuarantee guarantee;
    String gtid;
    holdReplication();
    try {
      try (CriticalWrite critical = routing.criticalWrite();
          Connection c = routing.getConnection()) {
        try (PreparedStatement s = c.prepareStatement("UPDATE profile SET name = ? WHERE id = ?")) {
          s.setString(1, "New");
          s.setLong(2, id);
          s.executeUpdate();
        }
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT @@last_gtid")) {
          rs.next();
          gtid = rs.getString(1);
        }
        guarantee = critical.guarantee();
      }
      assertThat(primaryStatus("Rpl_semi_sync_master_yes_tx"))
          .as("the replica acknowledged the commit")
          .isGreaterThan(acknowledgedBefore);
      assertThat(received(replicaIoPosition(), gtid))
          .as("%s is in the replica's relay log (Gtid_IO_Pos %s)", gtid, replicaIoPosition())
          .isTrue();
      assertThat(naive.profileName(id)).as("naive: received, not applied").isEqualTo("Old");
      assertThat(cohort.profileName(id)).as("cohort: the token wait").isEqualTo("New");
    } finally {
      releaseReplication();
    }
    assertThat(guarantee.mechanism()).isEqualTo("semi-sync");
    assertThat(guarantee.applyGuaranteed()).isFalse();
    assertThat(guarantee.detail()).contains("Rpl_semi_sync_master_status=ON").contains("not apply");
  }

  private long primaryStatus(String variable) throws SQLException {
    try (Connection c = db.primary().getConnection();
        PreparedStatement s = c.prepareStatement("SHOW GLOBAL STATUS LIKE ?")) {
      s.setString(1, variable);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).as(variable).isTrue();
        return rs.getLong(2);
      }
    }
  }

  private String replicaIoPosition() throws SQLException {
    try (Connection c = db.replica().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
      assertThat(rs.next()).as("the replica has a replication source").isTrue();
      return rs.getString("Gtid_IO_Pos");
    }
  }

  /** Whether a GTID position list ({@code domain-server-seq,...}) covers {@code gtid}. */
  private static boolean received(String position, String gtid) {
    String[] wanted = gtid.split("-", -1);
    for (String entry : position.split(",", -1)) {
      String[] have = entry.trim().split("-", -1);
      if (have.length == 3
          && have[0].equals(wanted[0])
          && Long.parseLong(have[2]) >= Long.parseLong(wanted[2])) {
        return true;
      }
    }
    return false;
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
