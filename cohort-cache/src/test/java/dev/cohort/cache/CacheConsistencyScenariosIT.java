package dev.cohort.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.replica.Consistency;
import dev.cohort.replica.ReplicaOptions;
import dev.cohort.replica.RoutingDataSource;
import dev.cohort.testing.time.ManualScheduler;
import dev.cohort.testing.time.MutableClock;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The seed's cache problems on the real PostgreSQL pair and Redis. Each naive test shows the wrong
 * outcome of the classic cache-aside recipe; its Cohort twin runs the same steps through {@link
 * VersionedCache} and stays right. Races are orchestrated with latches and a hand-moved scheduler,
 * replication is held with {@code pg_wal_replay_pause()}; nothing waits on a sleep.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CacheConsistencyScenariosIT {
  private static final AtomicLong IDS = new AtomicLong(100);
  private static final Duration TOO_SHORT = Duration.ofMillis(10);

  private TestServices services;
  private DatabasePair db;
  private RoutingDataSource routing;
  private RedisClient client;
  private StatefulRedisConnection<String, String> redis;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private String namespace;

  @BeforeAll
  void open() throws SQLException {
    services = TestServices.load();
    client = RedisClient.create(services.redisUri().toString());
    redis = client.connect();
    db = services.postgres().isolated("cache_it");
    try (Connection c = db.primary().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE account (id BIGINT PRIMARY KEY, name TEXT NOT NULL, version BIGINT NOT"
              + " NULL)");
    }
    db.awaitReplicaCaughtUp(Duration.ofSeconds(30));
    routing =
        RoutingDataSource.builder()
            .primary("pg-primary", db.primary())
            .replica("pg-replica", db.replica())
            .options(ReplicaOptions.builder().sourceId("cache-it").build())
            .build();
  }

  @AfterAll
  void close() {
    if (routing != null) {
      routing.close();
    }
    if (redis != null) {
      redis.close();
      client.shutdown();
    }
    services.close();
  }

  @BeforeEach
  void freshNamespace() {
    namespace = "scenario-" + UUID.randomUUID();
  }

  @AfterEach
  void releaseAndForget() throws SQLException {
    releaseReplication();
    Consistency.reset();
  }

  // --- 1. stale cache after an update, with cache-aside and a lagging replica -----------------

  @Test
  void naiveCacheAsideCachesTheReplicasOldValueAfterAnUpdate() throws Exception {
    long id = seed("Old");
    NaiveCacheAside naive = naive(TOO_SHORT);
    holdReplication();

    renameOn(db.primary(), id, "New");
    naive.invalidate(key(id));
    String read = naive.get(key(id), () -> readName(db.replica(), id)); // the miss reads a replica

    assertThat(read).isEqualTo("Old");
    assertThat(naive.peek(key(id))).isEqualTo("Old"); // and keeps serving it until the TTL
  }

  @Test
  void cohortLoadsTheMissBehindTheWritersTokenAndCachesTheNewValue() throws Exception {
    long id = seed("Old");
    VersionedCache<String> cache = cohort(SecondDelete.none());
    holdReplication();

    renameAndInvalidate(cache, id, "New");
    // Another request, on a thread that never saw the writer's session: the tombstone carries it.
    Optional<String> read = onOtherThread(() -> cache.get(key(id), versionedLoader(id, null)));

    assertThat(read).contains("New");
    assertThat(cache.peek(key(id))).isEqualTo(new CacheEntry.Value<>("New", CacheVersion.row(2)));
  }

  // --- 2. a slow reader refills the old value after the (double) delete -----------------------

  @Test
  void naiveDoubleDeleteWithATooShortDelayLeavesTheSlowReadersOldValue() throws Exception {
    long id = seed("Old");
    NaiveCacheAside naive = naive(TOO_SHORT);
    SlowRead slow = new SlowRead();

    CompletableFuture<String> reader =
        CompletableFuture.supplyAsync(() ->
            call(() -> naive.get(key(id), () -> slow.read(() -> readName(db.primary(), id)))));
    slow.awaitRead();
    renameOn(db.primary(), id, "New");
    naive.invalidate(key(id));
    scheduler.advance(TOO_SHORT); // the second delete runs before the slow reader fills
    slow.letFill();

    assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo("Old");
    assertThat(naive.peek(key(id))).isEqualTo("Old");
  }

  @Test
  void cohortRefusesTheSlowReadersFillAndReadsAgain() throws Exception {
    long id = seed("Old");
    VersionedCache<String> cache = cohort(SecondDelete.fixed(TOO_SHORT));
    SlowRead slow = new SlowRead();

    CompletableFuture<Optional<String>> reader =
        CompletableFuture.supplyAsync(() -> cache.get(key(id), versionedLoader(id, slow)));
    slow.awaitRead();
    renameAndInvalidate(cache, id, "New");
    scheduler.advance(TOO_SHORT);
    slow.letFill();

    assertThat(reader.get(10, TimeUnit.SECONDS)).contains("New");
    assertThat(cache.peek(key(id))).isEqualTo(new CacheEntry.Value<>("New", CacheVersion.row(2)));
  }

  @Test
  void withoutTheGuardTheSameSlowFillWouldHaveLanded() throws Exception {
    // The guard, not the orchestration, makes the difference: the same stale value filled with
    // no tombstone in place (what a plain SET does) is stored.
    long id = seed("Old");
    VersionedCache<String> cache = cohort(SecondDelete.none());
    assertThat(cache.fill(key(id), Versioned.of("Old", CacheVersion.row(1))))
        .isEqualTo(FillOutcome.STORED);
    renameAndInvalidate(cache, id, "New");
    assertThat(cache.fill(key(id), Versioned.of("Old", CacheVersion.row(1))))
        .isEqualTo(FillOutcome.REFUSED_STALE);
  }

  // --- 3. the second delete's delay comes from the measured lag -------------------------------

  @Test
  void theSecondDeleteDelayFollowsTheReplicasMeasuredLag() throws Exception {
    SecondDelete fromLag = SecondDelete.fromLag(routing);
    long id = seed("Before");
    holdReplication();
    renameOn(db.primary(), id, "Lagging"); // the replica stays behind this write while held

    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> fromLag.delay().compareTo(Duration.ofMillis(100)) >= 0);
    assertThat(routing.lagDistribution().max()).isPositive();
    assertThat(fromLag.delay()).isLessThanOrEqualTo(SecondDelete.DEFAULT_CAP);
  }

  // --- helpers --------------------------------------------------------------------------------

  /** A loader that reads once, then stops until the test lets it fill. */
  private static final class SlowRead {
    private final CountDownLatch read = new CountDownLatch(1);
    private final CountDownLatch fill = new CountDownLatch(1);
    private final AtomicBoolean first = new AtomicBoolean(true);

    <T> T read(java.util.concurrent.Callable<T> query) throws Exception {
      T value = query.call();
      if (first.getAndSet(false)) {
        read.countDown();
        if (!fill.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never let the slow reader fill");
        }
      }
      return value;
    }

    void awaitRead() throws InterruptedException {
      assertThat(read.await(10, TimeUnit.SECONDS)).as("the slow reader read").isTrue();
    }

    void letFill() {
      fill.countDown();
    }
  }

  private Loader<String> versionedLoader(long id, SlowRead slow) {
    return key -> {
      java.util.concurrent.Callable<Versioned<String>> query =
          () -> {
            try (Connection c = routing.getConnection();
                PreparedStatement s =
                    c.prepareStatement("SELECT name, version FROM account WHERE id = ?")) {
              s.setLong(1, id);
              try (ResultSet rs = s.executeQuery()) {
                return rs.next()
                    ? Versioned.of(rs.getString(1), CacheVersion.row(rs.getLong(2)))
                    : null;
              }
            }
          };
      return slow == null ? query.call() : slow.read(query);
    };
  }

  private void renameAndInvalidate(VersionedCache<String> cache, long id, String name)
      throws SQLException {
    JdbcTransaction.run(
        routing,
        tx -> {
          long version;
          try (PreparedStatement s =
              tx.connection()
                  .prepareStatement(
                      "UPDATE account SET name = ?, version = version + 1 WHERE id = ?"
                          + " RETURNING version")) {
            s.setString(1, name);
            s.setLong(2, id);
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              version = rs.getLong(1);
            }
          }
          cache.invalidateAfterCommit(tx, key(id), CacheVersion.row(version));
          return null;
        });
  }

  private static void renameOn(DataSource ds, long id, String name) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement s =
            c.prepareStatement("UPDATE account SET name = ?, version = version + 1 WHERE id = ?")) {
      s.setString(1, name);
      s.setLong(2, id);
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
  }

  private static String readName(DataSource ds, long id) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT name FROM account WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private long seed(String name) throws SQLException {
    long id = IDS.incrementAndGet();
    try (Connection c = db.primary().getConnection();
        PreparedStatement s = c.prepareStatement("INSERT INTO account VALUES (?, ?, 1)")) {
      s.setLong(1, id);
      s.setString(2, name);
      s.executeUpdate();
    }
    db.awaitReplicaCaughtUp(Duration.ofSeconds(30));
    return id;
  }

  private static String key(long id) {
    return "account:" + id;
  }

  private NaiveCacheAside naive(Duration secondDelete) {
    return new NaiveCacheAside(redis.sync(), namespace, scheduler, secondDelete);
  }

  private VersionedCache<String> cohort(SecondDelete secondDelete) {
    return VersionedCache.builder(redis, CacheCodec.strings())
        .options(CacheOptions.builder().namespace(namespace).build())
        .scheduler(scheduler)
        .secondDelete(secondDelete)
        .build();
  }

  private static <T> T onOtherThread(java.util.concurrent.Callable<T> work) throws Exception {
    AtomicReference<T> result = new AtomicReference<>();
    CompletableFuture.runAsync(() -> result.set(call(work))).get(20, TimeUnit.SECONDS);
    return result.get();
  }

  private static <T> T call(java.util.concurrent.Callable<T> work) {
    try {
      return work.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void holdReplication() throws SQLException {
    try (Connection c = db.replica().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SELECT pg_wal_replay_pause()");
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "paused".equals(replica("SELECT pg_get_wal_replay_pause_state()")));
  }

  private void releaseReplication() throws SQLException {
    try (Connection c = db.replica().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SELECT pg_wal_replay_resume()");
    }
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
