package dev.cohort.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.cache.internal.RedisCacheStore;
import dev.cohort.replica.ConsistencyToken;
import dev.cohort.replica.LagDistribution;
import dev.cohort.replica.Position;
import dev.cohort.testing.time.ManualScheduler;
import dev.cohort.testing.time.MutableClock;
import dev.cohort.testsupport.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cache's rules against a real Redis; time moved by hand. */
class VersionedCacheIT {
  private static TestServices services;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> connection;
  private static RedisCommands<String, String> redis;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private CacheOptions options;
  private FlakyStore store;
  private VersionedCache<String> cache;

  @BeforeAll
  static void connect() {
    services = TestServices.load();
    client = RedisClient.create(services.redisUri().toString());
    connection = client.connect();
    redis = connection.sync();
  }

  @AfterAll
  static void disconnect() {
    if (connection != null) {
      connection.close();
      client.shutdown();
    }
    services.close();
  }

  @BeforeEach
  void newNamespace() {
    options = CacheOptions.builder().namespace("it-" + UUID.randomUUID()).build();
    store = new FlakyStore(new RedisCacheStore(connection));
    cache = build(SecondDelete.none());
  }

  private VersionedCache<String> build(SecondDelete secondDelete) {
    return VersionedCache.builder(store, CacheCodec.strings())
        .options(options)
        .scheduler(scheduler)
        .secondDelete(secondDelete)
        .build();
  }

  private static final ConsistencyToken TOKEN =
      ConsistencyToken.of("orders", Position.Lsn.parse("16/B374D848"));

  @Test
  void aFillOlderThanTheTombstoneIsRefusedAndOneAtItsVersionIsStored() {
    cache.invalidate("user:1", CacheVersion.row(5), TOKEN);

    assertThat(cache.fill("user:1", Versioned.of("old", CacheVersion.row(4))))
        .isEqualTo(FillOutcome.REFUSED_STALE);
    assertThat(cache.peek("user:1"))
        .isEqualTo(new CacheEntry.Tombstone<String>(CacheVersion.row(5), TOKEN));

    assertThat(cache.fill("user:1", Versioned.of("new", CacheVersion.row(5))))
        .isEqualTo(FillOutcome.STORED);
    assertThat(cache.peek("user:1")).isEqualTo(new CacheEntry.Value<>("new", CacheVersion.row(5)));
  }

  @Test
  void aNewerValueReplacesAnOlderOneAndNeverTheOtherWayRound() {
    assertThat(cache.fill("k", Versioned.of("v7", CacheVersion.row(7))))
        .isEqualTo(FillOutcome.STORED);
    assertThat(cache.fill("k", Versioned.of("v6", CacheVersion.row(6))))
        .isEqualTo(FillOutcome.KEPT_NEWER);
    assertThat(cache.fill("k", Versioned.of("v7 again", CacheVersion.row(7))))
        .isEqualTo(FillOutcome.KEPT_NEWER);
    assertThat(cache.fill("k", Versioned.of("v8", CacheVersion.row(8))))
        .isEqualTo(FillOutcome.STORED);
    assertThat(cache.peek("k")).isEqualTo(new CacheEntry.Value<>("v8", CacheVersion.row(8)));
  }

  @Test
  void anInvalidationLeavesAValueThatAlreadyShowsTheWriteAndTombstonesKeepTheHighestVersion() {
    cache.fill("k", Versioned.of("v8", CacheVersion.row(8)));
    cache.invalidate("k", CacheVersion.row(8), TOKEN); // late, e.g. retried: the value shows it
    assertThat(cache.peek("k")).isEqualTo(new CacheEntry.Value<>("v8", CacheVersion.row(8)));

    cache.invalidate("k", CacheVersion.row(9), TOKEN);
    cache.invalidate("k", CacheVersion.row(8), ConsistencyToken.EMPTY);
    assertThat(cache.peek("k"))
        .isEqualTo(new CacheEntry.Tombstone<String>(CacheVersion.row(9), TOKEN));
  }

  @Test
  void aFillWithoutAVersionIsRefusedNamingTheKeyAndWritesNothing() {
    assertThatThrownBy(() -> cache.fill("user:9", Versioned.of("x", null)))
        .isInstanceOf(MissingVersionException.class)
        .hasMessageContaining("'user:9'");
    assertThatThrownBy(() -> cache.get("user:9", key -> Versioned.of("x", null)))
        .isInstanceOf(MissingVersionException.class);
    assertThat(cache.peek("user:9")).isEqualTo(new CacheEntry.Absent<String>());
  }

  @Test
  void versionsOfAnotherKindAreRefusedNamingBoth() {
    cache.fill("k", Versioned.of("v", CacheVersion.row(3)));
    assertThatThrownBy(
            () -> cache.fill("k", Versioned.of("w", CacheVersion.of(Position.Lsn.parse("0/10")))))
        .isInstanceOf(VersionKindMismatchException.class)
        .hasMessageContaining("'k'")
        .hasMessageContaining("row:3")
        .hasMessageContaining("lsn:16");
    assertThat(cache.peek("k")).isEqualTo(new CacheEntry.Value<>("v", CacheVersion.row(3)));
  }

  @Test
  void valuesAndTombstonesExpireAfterTheirTtl() {
    options =
        options.toBuilder().ttl(Duration.ofSeconds(30)).tombstoneTtl(Duration.ofSeconds(5)).build();
    cache = build(SecondDelete.none());
    cache.fill("v", Versioned.of("x", CacheVersion.row(1)));
    cache.invalidate("t", CacheVersion.row(1), TOKEN);

    assertThat(redis.pttl(options.namespace() + ":v")).isBetween(1L, 30_000L).isGreaterThan(5_000L);
    assertThat(redis.pttl(options.namespace() + ":t")).isBetween(1L, 5_000L);
  }

  @Test
  void aHitDoesNotLoadAndAMissLoadsAndFills() {
    AtomicInteger loads = new AtomicInteger();
    Loader<String> loader =
        key -> {
          loads.incrementAndGet();
          return Versioned.of("from db", CacheVersion.row(1));
        };
    assertThat(cache.get("k", loader)).contains("from db");
    assertThat(cache.get("k", loader)).contains("from db");
    assertThat(loads).hasValue(1);
    assertThat(cache.get("none", key -> null)).isEmpty();
    assertThat(cache.peek("none")).isEqualTo(new CacheEntry.Absent<String>());
  }

  @Test
  void concurrentMissesOfOneKeyLoadOnce() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    Loader<String> slow =
        key -> {
          loads.incrementAndGet();
          release.await();
          return Versioned.of("hot", CacheVersion.row(1));
        };
    List<Thread> readers = new ArrayList<>();
    List<Optional<String>> results = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 8; i++) {
      Thread t = new Thread(() -> results.add(cache.get("hot", slow)), "reader-" + i);
      readers.add(t);
      t.start();
    }
    // One reader is in the loader, the seven others wait for its result (a Redis call would be
    // TIMED_WAITING; the loader's latch and the single-flight join are WAITING).
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> readers.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
    release.countDown();
    for (Thread t : readers) {
      t.join();
    }
    assertThat(loads).hasValue(1);
    assertThat(results).hasSize(8).allMatch(r -> r.equals(Optional.of("hot")));
  }

  @Test
  void withRedisDownReadsAreServedFromTheLoaderAndNothingIsCached() {
    AtomicInteger loads = new AtomicInteger();
    Loader<String> loader =
        key -> {
          loads.incrementAndGet();
          return Versioned.of("from db", CacheVersion.row(1));
        };
    store.down();
    assertThat(cache.get("k", loader)).contains("from db");
    assertThat(cache.get("k", loader)).contains("from db");
    assertThat(loads).hasValue(2);
    store.up();
    assertThat(cache.peek("k")).isEqualTo(new CacheEntry.Absent<String>());
  }

  @Test
  void aFailedInvalidationIsRetriedWithBackoffUntilRedisTakesIt() {
    cache.fill("k", Versioned.of("old", CacheVersion.row(1)));
    store.failNextInvalidations(3);

    cache.invalidate("k", CacheVersion.row(2), TOKEN); // does not throw: the write is committed

    assertThat(cache.pendingInvalidations()).isEqualTo(1);
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(50));
    scheduler.advance(Duration.ofMillis(50));
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(100));
    scheduler.advance(Duration.ofMillis(100));
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(200));
    assertThat(cache.peek("k")).isEqualTo(new CacheEntry.Value<>("old", CacheVersion.row(1)));
    scheduler.advance(Duration.ofMillis(200));

    assertThat(store.invalidateCalls).hasValue(4);
    assertThat(cache.pendingInvalidations()).isZero();
    assertThat(cache.peek("k"))
        .isEqualTo(new CacheEntry.Tombstone<String>(CacheVersion.row(2), TOKEN));
  }

  @Test
  void theSecondDeleteRunsAfterTheMeasuredLagAndRemovesAnUnguardedFillInBetween() {
    LagDistribution lag =
        LagDistribution.ofNanos(
            java.util.stream.LongStream.rangeClosed(1, 100).map(m -> m * 1_000_000).toArray());
    cache = build(SecondDelete.fromLag(() -> lag, 99, 2, Duration.ofSeconds(2)));

    cache.invalidate("k", CacheVersion.row(2), TOKEN);
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(198));
    // A writer that does not use the guard puts a stale value back between the two deletes.
    redis.set(options.namespace() + ":k", "V" + CacheVersion.row(1).encoded() + "|stale");

    scheduler.advance(Duration.ofMillis(198));

    assertThat(cache.pendingInvalidations()).isZero();
    assertThat(cache.peek("k"))
        .isEqualTo(new CacheEntry.Tombstone<String>(CacheVersion.row(2), TOKEN));
  }

  @Test
  void anInvalidationRegisteredInATransactionRunsOnlyAfterItsCommit() {
    List<Runnable> hooks = new ArrayList<>();
    cache.fill("k", Versioned.of("old", CacheVersion.row(1)));

    cache.invalidateAfterCommit(hooks::add, "k", CacheVersion.row(2));
    assertThat(cache.peek("k")).isEqualTo(new CacheEntry.Value<>("old", CacheVersion.row(1)));

    hooks.forEach(Runnable::run); // the commit
    assertThat(cache.peek("k")).isInstanceOf(CacheEntry.Tombstone.class);
  }
}
