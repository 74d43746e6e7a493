package dev.cohort.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.jdbc.Database;
import dev.cohort.replica.Consistency;
import dev.cohort.replica.ReplicaOptions;
import dev.cohort.replica.RoutingDataSource;
import dev.cohort.testing.time.MutableClock;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The seed's lost update and double-taken lock on the real PostgreSQL pair: each naive test shows
 * the wrong outcome, its Cohort twin the right one under the same interleaving and lag. Replication
 * is held with {@code pg_wal_replay_pause()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LockScenariosIT {
  private static final AtomicLong IDS = new AtomicLong(500);
  private static final Duration TTL = Duration.ofSeconds(30);

  private TestServices services;
  private DatabasePair db;
  private RoutingDataSource routing;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private LeaseLock locks;
  private final OptimisticLock accounts = OptimisticLock.builder("Account", "account").build();

  @BeforeAll
  void open() throws SQLException {
    services = TestServices.load();
    db = services.postgres().isolated("lock_scenarios_it");
    try (Connection c = db.primary().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE account (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL, version BIGINT"
              + " NOT NULL, fencing_token BIGINT NOT NULL)");
      s.execute("CREATE TABLE naive_lock (name TEXT PRIMARY KEY, owner TEXT)");
    }
    routing =
        RoutingDataSource.builder()
            .primary("pg-primary", db.primary())
            .replica("pg-replica", db.replica())
            .options(ReplicaOptions.builder().sourceId("lock-it").build())
            .build();
    locks = LeaseLock.builder(routing, Database.POSTGRESQL).clock(clock).build();
    locks.createSchema();
    db.awaitReplicaCaughtUp(Duration.ofSeconds(30));
  }

  @AfterAll
  void close() {
    if (routing != null) {
      routing.close();
    }
    services.close();
  }

  @AfterEach
  void release() throws SQLException {
    onReplica("SELECT pg_wal_replay_resume()");
    Consistency.reset();
  }

  // --- lost update ----------------------------------------------------------------------------

  @Test
  void withoutVersionsTwoReadModifyWritesLoseOneUpdate() throws Exception {
    long id = account(100);
    try (Connection a = db.primary().getConnection();
        Connection b = db.primary().getConnection()) {
      long seenByA = read(a, id)[0];
      long seenByB = read(b, id)[0];
      setBalance(a, id, seenByA + 50);
      setBalance(b, id, seenByB + 50);
    }
    assertThat(read(id)[0]).isEqualTo(150); // one +50 is lost
  }

  @Test
  void withOptimisticLockingTheSecondWriterConflictsAndItsRetryKeepsBoth() throws Exception {
    long id = account(100);
    try (Connection a = routing.getConnection();
        Connection b = routing.getConnection()) {
      long[] seenByA = read(a, id);
      long[] seenByB = read(b, id);
      accounts.update(a, id, seenByA[1], Map.of("balance", seenByA[0] + 50));
      assertThatThrownBy(
              () -> accounts.update(b, id, seenByB[1], Map.of("balance", seenByB[0] + 50)))
          .isInstanceOf(OptimisticLockException.class)
          .hasMessageContaining("expected version 1 but found version 2");
    }
    holdReplication(); // the retry's read must not come from the replica, which is now behind
    OptimisticRetry.run(
        routing,
        c -> {
          long[] row = read(c, id);
          return accounts.update(c, id, row[1], Map.of("balance", row[0] + 50));
        });
    assertThat(read(id)[0]).isEqualTo(200);
  }

  // --- a lock taken twice -----------------------------------------------------------------------

  @Test
  void aLockWhoseCheckReadsAReplicaIsTakenTwice() throws Exception {
    try (Connection c = db.primary().getConnection();
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO naive_lock VALUES ('nightly-job', NULL)");
    }
    db.awaitReplicaCaughtUp(Duration.ofSeconds(30));
    holdReplication();

    boolean aGotIt = naiveAcquire("a");
    boolean bGotIt = naiveAcquire("b"); // its check reads the replica: still free there

    assertThat(aGotIt).isTrue();
    assertThat(bGotIt).isTrue(); // two holders
  }

  @Test
  void theLeaseLockDecidesOnThePrimaryAndFencesAHolderThatLostIt() throws Exception {
    long id = account(0);
    String name = "nightly-job-" + id;
    holdReplication();

    Lease a = locks.tryAcquire(name, "a", TTL).orElseThrow();
    // Another process, with no session of its own: the replica still shows no lock row at all.
    Optional<Lease> b = onOtherThread(() -> locks.tryAcquire(name, "b", TTL));
    assertThat(b).isEmpty();
    assertThat(onOtherThread(() -> locks.holder(name))).contains(a);

    clock.advance(TTL); // a stalls past its lease; b takes over and writes
    Lease b2 = onOtherThread(() -> locks.tryAcquire(name, "b", TTL)).orElseThrow();
    FencedTable fenced = FencedTable.builder("Account", "account").build();
    try (Connection c = routing.getConnection()) {
      fenced.update(c, id, b2, Map.of("balance", 2));
      assertThatThrownBy(() -> fenced.update(c, id, a, Map.of("balance", 1)))
          .isInstanceOf(StaleFencingTokenException.class)
          .hasMessageContaining("fencing token 1 is lower than the stored 2");
    }
    assertThat(read(id)[0]).isEqualTo(2);
  }

  // --- helpers --------------------------------------------------------------------------------

  /** Check on a replica (naive routing), then take it with a blind update on the primary. */
  private boolean naiveAcquire(String owner) throws SQLException {
    try (Connection r = db.replica().getConnection();
        PreparedStatement check =
            r.prepareStatement("SELECT owner FROM naive_lock WHERE name = 'nightly-job'")) {
      try (ResultSet rs = check.executeQuery()) {
        rs.next();
        if (rs.getString(1) != null) {
          return false;
        }
      }
    }
    try (Connection p = db.primary().getConnection();
        PreparedStatement take =
            p.prepareStatement("UPDATE naive_lock SET owner = ? WHERE name = 'nightly-job'")) {
      take.setString(1, owner);
      take.executeUpdate();
      return true;
    }
  }

  private long account(long balance) throws SQLException {
    long id = IDS.incrementAndGet();
    try (Connection c = db.primary().getConnection();
        PreparedStatement s = c.prepareStatement("INSERT INTO account VALUES (?, ?, 1, 0)")) {
      s.setLong(1, id);
      s.setLong(2, balance);
      s.executeUpdate();
    }
    db.awaitReplicaCaughtUp(Duration.ofSeconds(30));
    return id;
  }

  private long[] read(long id) throws SQLException {
    try (Connection c = db.primary().getConnection()) {
      return read(c, id);
    }
  }

  private static long[] read(Connection c, long id) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT balance, version FROM account WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  private static void setBalance(Connection c, long id, long balance) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE account SET balance = ? WHERE id = ?")) {
      s.setLong(1, balance);
      s.setLong(2, id);
      s.executeUpdate();
    }
  }

  @FunctionalInterface
  private interface Call<T> {
    T call() throws Exception;
  }

  private static <T> T onOtherThread(Call<T> work) throws Exception {
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                return work.call();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              } finally {
                Consistency.reset();
              }
            })
        .get(30, TimeUnit.SECONDS);
  }

  private void holdReplication() throws SQLException {
    onReplica("SELECT pg_wal_replay_pause()");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "paused".equals(replicaValue("SELECT pg_get_wal_replay_pause_state()")));
  }

  private void onReplica(String sql) throws SQLException {
    try (Connection c = db.replica().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private String replicaValue(String sql) throws SQLException {
    DataSource replica = db.replica();
    try (Connection c = replica.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
