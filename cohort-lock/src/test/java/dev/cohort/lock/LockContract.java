package dev.cohort.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cohort.jdbc.Database;
import dev.cohort.testing.time.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The lease lock, fencing and optimistic locking on one database; one subclass per database. Time
 * is a {@link MutableClock}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LockContract {
  private static final Duration TTL = Duration.ofSeconds(10);
  private static final AtomicLong IDS = new AtomicLong();

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  DataSource ds;
  LeaseLock locks;
  private final OptimisticLock accounts = OptimisticLock.builder("Account", "account").build();
  private final FencedTable fenced = FencedTable.builder("Account", "account").build();

  abstract DataSource open() throws Exception;

  abstract Database database();

  void close() throws Exception {}

  /**
   * Whether another connection can commit between an open transaction's read and its write (SQLite
   * serialises writers on the whole file: the second writer waits instead).
   */
  boolean writersInterleave() {
    return true;
  }

  @BeforeAll
  void setUp() throws Exception {
    ds = open();
    locks = LeaseLock.builder(ds, database()).clock(clock).build();
    locks.createSchema();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS account");
      s.execute(
          "CREATE TABLE account (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL, version BIGINT"
              + " NOT NULL, fencing_token BIGINT NOT NULL)");
    }
  }

  @AfterAll
  void tearDown() throws Exception {
    close();
  }

  private static String lockName() {
    return "lock-" + IDS.incrementAndGet() + "-" + System.nanoTime();
  }

  // --- lease lock -----------------------------------------------------------------------------

  @Test
  void eachAcquisitionGetsAHigherFencingToken() throws Exception {
    String name = lockName();
    Lease first = locks.tryAcquire(name, "a", TTL).orElseThrow();
    assertThat(first.fencingToken()).isEqualTo(1);
    assertThat(first.expiresAt()).isEqualTo(clock.instant().plus(TTL));
    locks.release(first);
    assertThat(locks.holder(name)).isEmpty();

    Lease second = locks.tryAcquire(name, "b", TTL).orElseThrow();
    assertThat(second.fencingToken()).isEqualTo(2);
    assertThat(locks.holder(name)).contains(second);
  }

  @Test
  void aHeldLockIsRefusedToOthersUntilItsLeaseLapses() throws Exception {
    String name = lockName();
    Lease a = locks.tryAcquire(name, "a", TTL).orElseThrow();

    assertThat(locks.tryAcquire(name, "b", TTL)).isEmpty();
    clock.advance(TTL.minusMillis(1));
    assertThat(locks.tryAcquire(name, "b", TTL)).isEmpty();
    clock.advance(Duration.ofMillis(1));

    Lease b = locks.tryAcquire(name, "b", TTL).orElseThrow();
    assertThat(b.fencingToken()).isGreaterThan(a.fencingToken());
  }

  @Test
  void renewingExtendsTheLeaseUntilSomeoneElseTookIt() throws Exception {
    String name = lockName();
    Lease a = locks.tryAcquire(name, "a", TTL).orElseThrow();
    clock.advance(Duration.ofSeconds(8));
    Lease renewed = locks.renew(a, TTL);
    assertThat(renewed.expiresAt()).isEqualTo(clock.instant().plus(TTL));
    clock.advance(Duration.ofSeconds(8));
    assertThat(locks.tryAcquire(name, "b", TTL)).isEmpty(); // renewed: still a's

    clock.advance(Duration.ofSeconds(3));
    Lease b = locks.tryAcquire(name, "b", TTL).orElseThrow();

    assertThatThrownBy(() -> locks.renew(renewed, TTL))
        .isInstanceOf(LockNotHeldException.class)
        .hasMessageContaining("renew of lock '" + name + "' by a with fencing token 1")
        .hasMessageContaining("held by b with fencing token 2");
    assertThat(locks.holder(name)).contains(b);
  }

  @Test
  void aReleaseByATokenThatNoLongerOwnsTheLockIsRefusedAndWritesNothing() throws Exception {
    String name = lockName();
    Lease a = locks.tryAcquire(name, "a", TTL).orElseThrow();
    clock.advance(TTL);
    Lease b = locks.tryAcquire(name, "b", TTL).orElseThrow();

    assertThatThrownBy(() -> locks.release(a))
        .isInstanceOf(LockNotHeldException.class)
        .hasMessageContaining("lock '" + name + "'")
        .hasMessageContaining("fencing token 1")
        .hasMessageContaining("held by b with fencing token 2")
        .satisfies(e -> assertThat(((LockNotHeldException) e).current()).contains(b));
    assertThat(locks.holder(name)).contains(b);

    locks.release(b);
    assertThatThrownBy(() -> locks.release(b))
        .isInstanceOf(LockNotHeldException.class)
        .hasMessageContaining("not held by that token any more");
  }

  @Test
  void ofConcurrentAcquirersExactlyOneGetsTheLock() throws Exception {
    String name = lockName();
    int n = 6;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Optional<Lease>>> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String owner = "owner-" + i;
        results.add(
            pool.submit(() -> {
              start.await();
              return locks.tryAcquire(name, owner, TTL);
            }));
      }
      start.countDown();
      int winners = 0;
      for (Future<Optional<Lease>> f : results) {
        winners += f.get(30, TimeUnit.SECONDS).isPresent() ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
      assertThat(locks.holder(name).orElseThrow().fencingToken()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void badLockInputIsRefusedNamingTheValue() {
    assertThatThrownBy(() -> locks.tryAcquire(" ", "a", TTL)).hasMessageContaining("got ' '");
    assertThatThrownBy(() -> locks.tryAcquire("x", "a", Duration.ZERO))
        .hasMessageContaining("got PT0S");
  }

  @Test
  void theSchemaIsCurrentAfterCreationAndExportable() throws Exception {
    assertThat(locks.createSchema().changed()).isFalse();
    locks.verifySchema();
    assertThat(locks.schemaStatements()).anyMatch(s -> s.contains("CREATE TABLE cohort_lock"));
  }

  // --- fencing --------------------------------------------------------------------------------

  @Test
  void aWriteWithALowerFencingTokenThanTheStoredOneIsRefusedAndWritesNothing() throws Exception {
    long id = account(100);
    String name = lockName();
    Lease a = locks.tryAcquire(name, "a", TTL).orElseThrow();
    clock.advance(TTL); // a pauses past its lease
    Lease b = locks.tryAcquire(name, "b", TTL).orElseThrow();

    try (Connection c = ds.getConnection()) {
      fenced.update(c, id, b, Map.of("balance", 200));
      assertThatThrownBy(() -> fenced.update(c, id, a, Map.of("balance", 999)))
          .isInstanceOf(StaleFencingTokenException.class)
          .hasMessageContaining("Account " + id)
          .hasMessageContaining("fencing token 1 is lower than the stored 2");
      fenced.update(c, id, b, Map.of("balance", 300)); // the holder writes again: equal is fine
    }
    assertThat(balance(id)).isEqualTo(300);
    assertThat(column(id, "fencing_token")).isEqualTo(2);
  }

  // --- optimistic locking ---------------------------------------------------------------------

  @Test
  void anUpdateAtTheReadVersionIncrementsIt() throws Exception {
    long id = account(100);
    try (Connection c = ds.getConnection()) {
      assertThat(accounts.update(c, id, 1, Map.of("balance", 150))).isEqualTo(2);
      assertThat(accounts.version(c, id)).hasValue(2);
    }
    assertThat(balance(id)).isEqualTo(150);
  }

  @Test
  void aConflictNamesEntityIdExpectedAndActualVersionAndWritesNothing() throws Exception {
    long id = account(100);
    try (Connection c = ds.getConnection()) {
      accounts.update(c, id, 1, Map.of("balance", 150));
      assertThatThrownBy(() -> accounts.update(c, id, 1, Map.of("balance", 999)))
          .isInstanceOf(OptimisticLockException.class)
          .hasMessageContaining("Account " + id + ": expected version 1 but found version 2")
          .satisfies(e -> {
            OptimisticLockException o = (OptimisticLockException) e;
            assertThat(o.entity()).isEqualTo("Account");
            assertThat(o.id()).isEqualTo(id);
            assertThat(o.expectedVersion()).isEqualTo(1);
            assertThat(o.actualVersion()).isEqualTo(OptionalLong.of(2));
          });
      assertThatThrownBy(() -> accounts.update(c, -1L, 1, Map.of("balance", 1)))
          .hasMessageContaining("the row no longer exists");
    }
    assertThat(balance(id)).isEqualTo(150);
  }

  @Test
  void theRetryReadsAgainAfterAConflictAndBothChangesSurvive() throws Exception {
    assumeTrue(writersInterleave(), "writers do not interleave on " + database());
    long id = account(100);
    AtomicInteger attempts = new AtomicInteger();
    long version =
        OptimisticRetry.run(
            ds,
            3,
            c -> {
              long[] row = read(c, id);
              if (attempts.incrementAndGet() == 1) {
                addOnAnotherConnection(id, 50); // a concurrent writer gets in between
              }
              return accounts.update(c, id, row[1], Map.of("balance", row[0] + 10));
            });
    assertThat(attempts).hasValue(2);
    assertThat(version).isEqualTo(3);
    assertThat(balance(id)).isEqualTo(160);
  }

  @Test
  void theRetryGivesUpAfterItsAttemptsWithTheLastConflict() throws Exception {
    assumeTrue(writersInterleave(), "writers do not interleave on " + database());
    long id = account(100);
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() ->
            OptimisticRetry.run(
                ds,
                2,
                c -> {
                  long[] row = read(c, id);
                  attempts.incrementAndGet();
                  addOnAnotherConnection(id, 1);
                  return accounts.update(c, id, row[1], Map.of("balance", 0));
                }))
        .isInstanceOf(OptimisticLockException.class)
        .hasMessageContaining("expected version 2 but found version 3")
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
    assertThat(attempts).hasValue(2);
  }

  @Test
  void badOptimisticInputIsRefusedNamingTheValue() throws Exception {
    long id = account(100);
    try (Connection c = ds.getConnection()) {
      assertThatThrownBy(() -> accounts.update(c, id, -1, Map.of("balance", 1)))
          .hasMessageContaining("got -1");
      assertThatThrownBy(() -> accounts.update(c, id, 1, Map.of("version", 7)))
          .hasMessageContaining("'version' is managed by the lock");
      assertThatThrownBy(() -> accounts.update(c, id, 1, Map.of("balance; DROP", 1)))
          .hasMessageContaining("'balance; DROP'");
    }
    assertThatThrownBy(() -> OptimisticLock.builder("Account", "account x"))
        .hasMessageContaining("'account x'");
    assertThat(balance(id)).isEqualTo(100);
  }

  // --- helpers --------------------------------------------------------------------------------

  private long account(long balance) throws SQLException {
    long id = IDS.incrementAndGet();
    try (Connection c = ds.getConnection();
        PreparedStatement s = c.prepareStatement("INSERT INTO account VALUES (?, ?, 1, 0)")) {
      s.setLong(1, id);
      s.setLong(2, balance);
      s.executeUpdate();
    }
    return id;
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

  /** Another client's read-modify-write, committed at once (on its own connection). */
  void addOnAnotherConnection(long id, long amount) throws SQLException {
    try (Connection c = ds.getConnection()) {
      long[] row = read(c, id);
      accounts.update(c, id, row[1], Map.of("balance", row[0] + amount));
    }
  }

  private long balance(long id) throws SQLException {
    return column(id, "balance");
  }

  private long column(long id, String column) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT " + column + " FROM account WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
