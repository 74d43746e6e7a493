package dev.cohort.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cohort.jdbc.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Data lost at failover after an asynchronous commit, kept by a critical write; on a throwaway
 * PostgreSQL pair whose primary is really crashed and whose standby is really promoted.
 *
 * <p>How the failover is simulated, and why that is honest: asynchronous replication puts no bound
 * on how far the standby is behind when the primary dies. The test makes that gap certain instead
 * of racing for it: it stops the standby (as a partition or a slow standby would leave it) before
 * the commits, crashes the primary ({@code pg_ctl -m immediate}), then starts and promotes the
 * standby, as a failover manager would.
 *
 * <p>What it proves: an asynchronous commit the client was told succeeded is missing on the new
 * primary; a {@link CriticalWrite} ({@code synchronous_commit = remote_apply}) returns only once a
 * standby applied it, so one that returned is on the new primary, and one that could not reach a
 * standby never returned success (its client gets the crash as an error, not a lost write).
 */
@SuppressWarnings("try")
class PostgresCriticalWriteFailoverIT {
  /** Connection timeout of the pools: the machine running the tests may be loaded. */
  private static final Duration PATIENT = Duration.ofSeconds(15);

  private final ExecutorService client = Executors.newSingleThreadExecutor();

  @AfterEach
  void reset() {
    client.shutdownNow();
    Consistency.reset();
  }

  @Test
  void asynchronousCommitIsLostAtFailoverAndACriticalWriteIsNot() throws Exception {
    try (ScratchPostgresPair pair = ScratchPostgresPair.startWithSynchronousStandby();
        RoutingDataSource routing = routing(pair)) {
      DataSource primary = pair.pool("a-plain", true, PATIENT);
      Shop shop = new Shop(Routing.cohort(routing));
      shop.update("CREATE TABLE payment_log (id BIGINT PRIMARY KEY, what VARCHAR(40) NOT NULL)");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() ->
              "1"
                  .equals(
                      value(
                          primary,
                          "SELECT count(*) FROM pg_stat_replication"
                              + " WHERE sync_state = 'sync'")));

      SyncGuarantee guarantee;
      try (CriticalWrite critical = routing.criticalWrite()) {
        shop.update("INSERT INTO payment_log VALUES (1, 'critical')");
        guarantee = critical.guarantee();
      }
      assertThat(guarantee.applyGuaranteed()).as(guarantee.detail()).isTrue();

      pair.stopReplica();
      new Shop(Routing.cohort(primary)).update("INSERT INTO payment_log VALUES (2, 'async')");

      Future<?> unacknowledged =
          client.submit(() -> {
            try (CriticalWrite critical = routing.criticalWrite()) {
              shop.update("INSERT INTO payment_log VALUES (3, 'critical, no standby')");
            }
            return null;
          });
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() ->
              "1"
                  .equals(
                      value(
                          primary,
                          "SELECT count(*) FROM pg_stat_activity"
                              + " WHERE wait_event = 'SyncRep'")));
      assertThat(unacknowledged)
          .as("a critical commit no standby applied does not return")
          .isNotDone();

      pair.crashPrimary();
      assertThatThrownBy(() -> unacknowledged.get(60, TimeUnit.SECONDS))
          .as("its client is told it failed")
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(SQLException.class);
      pair.startReplica();
      pair.promoteReplica();

      assertThat(ids(pair.pool("b-promoted", false, PATIENT)))
          .as("after failover: the critical write is there, the acknowledged async commit is lost")
          .containsExactly(1L);
    }
  }

  /** Without a synchronous standby PostgreSQL commits locally; the guarantee says so. */
  @Test
  void criticalWriteWithoutASynchronousStandbySaysSo() throws Exception {
    try (ScratchPostgresPair pair = ScratchPostgresPair.start();
        RoutingDataSource routing = routing(pair)) {
      Shop shop = new Shop(Routing.cohort(routing));
      shop.update("CREATE TABLE payment_log (id BIGINT PRIMARY KEY, what VARCHAR(40) NOT NULL)");
      SyncGuarantee guarantee;
      try (CriticalWrite critical = routing.criticalWrite()) {
        shop.update("INSERT INTO payment_log VALUES (1, 'critical')");
        guarantee = critical.guarantee();
      }
      assertThat(guarantee.applyGuaranteed()).isFalse();
      assertThat(guarantee.mechanism()).isEqualTo("none");
      assertThat(guarantee.detail()).contains("synchronous_standby_names=''");
    }
  }

  private static RoutingDataSource routing(ScratchPostgresPair pair) {
    return RoutingDataSource.builder()
        .primary("a", pair.pool("a", true, PATIENT))
        .replica("b", pair.pool("b", false, PATIENT))
        .options(
            ReplicaOptions.builder()
                .sourceId("critical")
                .database(Database.POSTGRESQL)
                .backoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .build())
        .build();
  }

  private static String value(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static List<Long> ids(DataSource ds) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM payment_log ORDER BY id")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }
}
