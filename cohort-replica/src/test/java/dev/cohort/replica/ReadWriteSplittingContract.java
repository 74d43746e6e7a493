package dev.cohort.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The scenarios of seeds/000 on a real primary/replica pair. Each shows the wrong outcome under
 * naive routing (reads round robin to the replica) while replication is held, then the right one
 * through Cohort under the same lag. Subclasses provide the database and how to hold replication.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SuppressWarnings("try")
abstract class ReadWriteSplittingContract {
  static final String SOURCE = "shop";
  private static final AtomicLong IDS = new AtomicLong(1000);

  TestServices services;
  DatabasePair db;
  RoutingDataSource routing;
  Shop naive;
  Shop cohort;
  ExecutorService otherService;

  abstract DatabasePair openPair(TestServices services);

  /** Stops the replica applying changes until {@link #releaseReplication()}. */
  abstract void holdReplication() throws SQLException;

  abstract void releaseReplication() throws SQLException;

  abstract String kindTag();

  /**
   * Creates table {@code visit (id)} and function {@code record_visit(id)}, which inserts the id
   * and returns it: a write that reads like a plain {@code SELECT}.
   */
  abstract void createRecordVisit() throws SQLException;

  /** Routing over pools whose user the replica's read-only setting applies to. */
  abstract RoutingDataSource appRouting();

  @BeforeAll
  void open() throws SQLException {
    services = TestServices.load();
    db = openPair(services);
    try (Connection c = db.primary().getConnection()) {
      Shop.createSchema(c);
    }
    db.awaitReplicaCaughtUp(Duration.ofSeconds(30));
    routing = build(ReplicaOptions.builder().sourceId(SOURCE).build());
    naive = new Shop(new NaiveRouting(db.primary(), List.of(db.replica())));
    cohort = new Shop(Routing.cohort(routing));
    otherService = Executors.newSingleThreadExecutor();
  }

  RoutingDataSource build(ReplicaOptions options) {
    return RoutingDataSource.builder()
        .primary("primary", db.primary())
        .replica("replica", db.replica())
        .options(options)
        .build();
  }

  @AfterAll
  void close() {
    if (otherService != null) {
      otherService.shutdownNow();
    }
    if (routing != null) {
      routing.close();
    }
    if (services != null) {
      services.close();
    }
  }

  @BeforeEach
  @AfterEach
  void freshSession() {
    Consistency.reset();
  }

  interface Step {
    void run() throws Exception;
  }

  /** Runs {@code step} with replication held, then lets the replica catch up. */
  void lagging(Step step) throws Exception {
    holdReplication();
    try {
      step.run();
    } finally {
      releaseReplication();
    }
    db.awaitReplicaCaughtUp(Duration.ofSeconds(30));
  }

  /** Runs {@code step} as another client: its own session, its token dropped afterwards. */
  static void asOtherClient(Step step) throws Exception {
    try (Consistency.Session s = Consistency.session(ConsistencyToken.EMPTY)) {
      step.run();
    }
  }

  static long nextId() {
    return IDS.incrementAndGet();
  }

  void seed(String sql, Object... args) throws SQLException {
    new Shop(Routing.cohort(db.primary())).update(sql, args);
  }

  void replicated() {
    db.awaitReplicaCaughtUp(Duration.ofSeconds(30));
  }

  double counter(String name, String... tags) {
    MeterRegistry r = routing.meterRegistry();
    return r.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
  }

  long timerCount(String name, String... tags) {
    return routing.meterRegistry().find(name).tags(tags).timers().stream()
        .mapToLong(Timer::count)
        .sum();
  }

  // ---- the seven scenarios ----

  @Test
  void updateProfileThenReadItBack() throws Exception {
    long a = nextId();
    long b = nextId();
    seed("INSERT INTO profile VALUES (?, 'Old')", a);
    seed("INSERT INTO profile VALUES (?, 'Old')", b);
    replicated();
    lagging(() -> {
      naive.updateProfile(a, "New");
      assertThat(naive.profileName(a)).as("naive: own update invisible").isEqualTo("Old");

      cohort.updateProfile(b, "New");
      assertThat(cohort.profileName(b)).as("cohort: read-your-writes").isEqualTo("New");
    });
  }

  @Test
  void placeOrderThenListRecentOrders() throws Exception {
    long user = nextId();
    long first = nextId();
    seed("INSERT INTO orders VALUES (?, ?, 'book', 'PLACED')", first, user);
    replicated();
    long naiveOrder = nextId();
    long cohortOrder = nextId();
    lagging(() -> {
      naive.placeOrder(naiveOrder, user, "pen");
      assertThat(naive.recentOrders(user)).as("naive").doesNotContain(naiveOrder);

      cohort.placeOrder(cohortOrder, user, "ink");
      assertThat(cohort.recentOrders(user)).as("cohort").contains(cohortOrder, naiveOrder, first);
    });
  }

  /**
   * A transfer (two rows, one transaction) read while the replica applies it between the two reads.
   * Read as two separate reads, the debit's row comes from before the commit and the credit's from
   * after: 30 appear from nowhere. Cohort's read-only transaction is pinned to one replica and one
   * snapshot (raised to REPEATABLE READ where the database's default is lower, PostgreSQL), so it
   * sees the transfer whole or not at all.
   */
  @Test
  void transferIsNeverHalfVisibleInAPinnedReadOnlyTransaction() throws Exception {
    long a = nextId();
    long b = nextId();
    long c = nextId();
    long d = nextId();
    for (long id : new long[] {a, b, c, d}) {
      seed("INSERT INTO account VALUES (?, 100)", id);
    }
    replicated();
    try {
      holdReplication();
      naive.transfer(a, b, "30");
      long[] naiveSeen = naive.twoBalances(a, b, false, this::letReplicaCatchUp);
      assertThat(naiveSeen).as("naive: the credit without the debit").containsExactly(100, 130);

      holdReplication();
      asOtherClient(() -> cohort.transfer(c, d, "30"));
      double replicaReads = counter("cohort.replica.reads", "target", "replica");
      long[] cohortSeen = cohort.twoBalances(c, d, true, this::letReplicaCatchUp);
      assertThat(cohortSeen)
          .as("cohort: both rows from before the transfer")
          .containsExactly(100, 100);
      assertThat(counter("cohort.replica.reads", "target", "replica") - replicaReads)
          .as("both reads served by the replica")
          .isEqualTo(2.0);
      assertThat(cohort.twoBalances(c, d, true, () -> {}))
          .as("cohort, once applied: both rows after it")
          .containsExactly(70, 130);
    } finally {
      releaseReplication();
    }
  }

  /** Lets the held replica apply everything, and waits until it has. */
  void letReplicaCatchUp() throws SQLException {
    releaseReplication();
    replicated();
  }

  @Test
  void userAndWalletCreatedTogetherAreReadTogether() throws Exception {
    long naiveUser = nextId();
    long cohortUser = nextId();
    lagging(() -> {
      naive.createUserWithWallet(naiveUser, "ann");
      assertThat(naive.userAndWallet(naiveUser))
          .as("naive: committed user and wallet not visible")
          .containsExactly(false, false);

      cohort.createUserWithWallet(cohortUser, "bob");
      assertThat(cohort.userAndWallet(cohortUser)).as("cohort").containsExactly(true, true);
    });
  }

  @Test
  void paymentChecksTheBalanceOnThePrimary() throws Exception {
    long naiveAccount = nextId();
    long cohortAccount = nextId();
    seed("INSERT INTO account VALUES (?, 100)", naiveAccount);
    seed("INSERT INTO account VALUES (?, 100)", cohortAccount);
    replicated();
    lagging(() -> {
      // Another service has just spent 80 of the 100.
      asOtherClient(() -> naive.setBalance(naiveAccount, "20"));
      assertThat(naive.processPayment(nextId(), naiveAccount, "50"))
          .as("naive: approved on a stale balance")
          .isTrue();
      assertThat(primaryBalance(naiveAccount)).as("naive: overdrawn").isEqualTo("-30.00");

      asOtherClient(() -> cohort.setBalance(cohortAccount, "20"));
      assertThat(cohort.processPayment(nextId(), cohortAccount, "50"))
          .as("cohort: refused on the primary's balance")
          .isFalse();
      assertThat(primaryBalance(cohortAccount)).isEqualTo("20.00");
    });
  }

  @Test
  void shippedOrderShowsInItsStatusHistory() throws Exception {
    long naiveOrder = nextId();
    long cohortOrder = nextId();
    for (long id : new long[] {naiveOrder, cohortOrder}) {
      seed("INSERT INTO orders VALUES (?, 1, 'lamp', 'PAID')", id);
      seed("INSERT INTO order_history VALUES (?, 1, 'PAID')", id);
    }
    replicated();
    lagging(() -> {
      naive.shipOrder(naiveOrder);
      assertThat(naive.wouldNotifyAgain(naiveOrder))
          .as("naive: history misses SHIPPED, notification sent twice")
          .isTrue();

      cohort.shipOrder(cohortOrder);
      assertThat(cohort.statusHistory(cohortOrder)).containsExactly("PAID", "SHIPPED");
      assertThat(cohort.wouldNotifyAgain(cohortOrder)).isFalse();
    });
  }

  @Test
  void lockRowInsertedThenCheckedCannotBeTakenTwice() throws Exception {
    String naiveKey = "naive-" + nextId();
    String cohortKey = "cohort-" + nextId();
    lagging(() -> {
      asOtherClient(() -> assertThat(naive.acquireLock(naiveKey, "A")).isTrue());
      asOtherClient(() ->
          assertThat(naive.acquireLock(naiveKey, "B"))
              .as("naive: B takes a lock A holds")
              .isTrue());
      assertThat(primaryLockOwner(naiveKey)).isEqualTo("B");

      asOtherClient(() -> assertThat(cohort.acquireLock(cohortKey, "A")).isTrue());
      asOtherClient(() ->
          assertThat(cohort.acquireLock(cohortKey, "B")).as("cohort: B sees A's lock").isFalse());
      assertThat(primaryLockOwner(cohortKey)).isEqualTo("A");
    });
  }

  @Test
  void secondServiceReadsWithTheFirstServicesToken() throws Exception {
    long a = nextId();
    long b = nextId();
    seed("INSERT INTO profile VALUES (?, 'Old')", a);
    seed("INSERT INTO profile VALUES (?, 'Old')", b);
    replicated();
    try (RoutingDataSource serviceB = build(ReplicaOptions.builder().sourceId(SOURCE).build())) {
      Shop cohortB = new Shop(Routing.cohort(serviceB));
      lagging(() -> {
        naive.updateProfile(a, "New");
        String naiveSeen =
            otherService.submit(() -> naive.profileName(a)).get(10, TimeUnit.SECONDS);
        assertThat(naiveSeen).as("naive: service B reads the past").isEqualTo("Old");

        String header;
        try (Consistency.Session request = Consistency.session(ConsistencyToken.EMPTY)) {
          cohort.updateProfile(b, "New");
          header = request.token().format();
        }
        assertThat(header).startsWith("c1;" + SOURCE + ":" + kindTag() + ":");
        String cohortSeen =
            otherService
                .submit(() -> {
                  try (Consistency.Session s =
                      Consistency.session(ConsistencyToken.parse(header))) {
                    return cohortB.profileName(b);
                  }
                })
                .get(10, TimeUnit.SECONDS);
        assertThat(cohortSeen).as("cohort: service B with A's header").isEqualTo("New");
      });
    }
  }

  // ---- lag, fallbacks, policies ----

  @Test
  void allReplicasLaggingMeansPrimaryWithAMetricNeverAStaleRead() throws Exception {
    long id = nextId();
    seed("INSERT INTO profile VALUES (?, 'Old')", id);
    replicated();
    double before = counter("cohort.replica.fallbacks", "reason", "lag");
    lagging(() -> {
      for (int i = 0; i < 3; i++) {
        cohort.updateProfile(id, "v" + i);
        assertThat(cohort.profileName(id)).isEqualTo("v" + i);
      }
    });
    assertThat(counter("cohort.replica.fallbacks", "reason", "lag"))
        .isGreaterThanOrEqualTo(before + 3);
  }

  @Test
  void aReplicaFurtherBehindThanTheWaitIsNotWaitedOn() throws Exception {
    long id = nextId();
    seed("INSERT INTO profile VALUES (?, 'Old')", id);
    replicated();
    lagging(() -> {
      cohort.updateProfile(id, "held");
      assertThat(cohort.profileName(id)).isEqualTo("held");
      // The poller sees the stalled replica fall further behind than a read would wait.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> replicaStatus(routing).lagTime().compareTo(routing.options().maxWait()) > 0);
      long waitsBefore = timerCount("cohort.replica.waits");
      double lagBefore = counter("cohort.replica.fallbacks", "reason", "lag");
      for (int i = 0; i < 3; i++) {
        cohort.updateProfile(id, "v" + i);
        assertThat(cohort.profileName(id)).isEqualTo("v" + i);
      }
      assertThat(timerCount("cohort.replica.waits")).as("no read waited").isEqualTo(waitsBefore);
      assertThat(counter("cohort.replica.fallbacks", "reason", "lag"))
          .isGreaterThanOrEqualTo(lagBefore + 3);
    });
  }

  @Test
  void replicaThatCatchesUpWithinTheWaitServesTheRead() throws Exception {
    long id = nextId();
    seed("INSERT INTO profile VALUES (?, 'Old')", id);
    replicated();
    try (RoutingDataSource patient =
        build(ReplicaOptions.builder().sourceId(SOURCE).maxWait(Duration.ofSeconds(10)).build())) {
      Shop shop = new Shop(Routing.cohort(patient));
      shop.updateProfile(id, "New");
      assertThat(shop.profileName(id)).isEqualTo("New");
      MeterRegistry r = patient.meterRegistry();
      assertThat(r.find("cohort.replica.reads").tags("role", "replica").counter().count())
          .isEqualTo(1.0);
      assertThat(r.find("cohort.replica.fallbacks").counters()).isEmpty();
    }
  }

  @Test
  void tokenFromAnUnknownClusterReadsThePrimary() throws Exception {
    long id = nextId();
    seed("INSERT INTO profile VALUES (?, 'Old')", id);
    replicated();
    lagging(() -> {
      seed("UPDATE profile SET name = 'New' WHERE id = ?", id);
      ConsistencyToken foreign =
          ConsistencyToken.of("billing", Position.parse(kindTag(), db.primaryPosition()));
      try (Consistency.Session s = Consistency.session(foreign)) {
        assertThat(cohort.profileName(id)).isEqualTo("New");
      }
      assertThat(counter("cohort.replica.fallbacks", "reason", "unknown_source")).isPositive();
    });
  }

  @Test
  void policiesDecideHowStaleAReadMayBe() throws Exception {
    long id = nextId();
    seed("INSERT INTO profile VALUES (?, 'Old')", id);
    replicated();
    lagging(() -> {
      cohort.updateProfile(id, "New");
      String eventual =
          Consistency.withPolicy(ConsistencyPolicy.EVENTUAL, () -> cohort.profileName(id));
      assertThat(eventual).as("EVENTUAL accepts a stale replica").isEqualTo("Old");
      String primary =
          Consistency.withPolicy(ConsistencyPolicy.PRIMARY, () -> cohort.profileName(id));
      assertThat(primary).isEqualTo("New");
      try (Scope outer = Consistency.primary()) {
        try (Scope inner = Consistency.primary()) {
          assertThat(cohort.profileName(id)).isEqualTo("New");
        }
        assertThat(Consistency.primaryForced()).isTrue();
      }
      assertThat(Consistency.primaryForced()).isFalse();
    });
  }

  @Test
  void pollerMeasuresLagAndSeesTheReplicaCatchUp() throws Exception {
    lagging(() -> {
      seed("INSERT INTO profile VALUES (?, 'lag')", nextId());
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> {
            ReplicaStatus r = replicaStatus(routing);
            assertThat(r.lagTime()).isPositive();
            assertThat(Math.max(r.lagBytes(), r.lagTransactions())).isPositive();
          });
    });
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(replicaStatus(routing).lagTime()).isZero());
  }

  @Test
  void replicaSyncCompletesOnceTheReplicaHasTheWrite() throws Exception {
    long id = nextId();
    seed("INSERT INTO profile VALUES (?, 'Old')", id);
    replicated();
    ConsistencyToken token;
    holdReplication();
    CompletableFuture<SyncResult> all;
    try (Consistency.Session s = Consistency.session(ConsistencyToken.EMPTY)) {
      cohort.updateProfile(id, "New");
      token = s.token();
      SyncResult early =
          routing.sync().await(token, Duration.ofMillis(200)).get(5, TimeUnit.SECONDS);
      assertThat(early.satisfied()).isFalse();
      assertThat(early.pending()).containsExactly("replica");
      all = routing.sync().await(token, Duration.ofSeconds(20), ReplicaSync.Mode.ALL);
      assertThat(all).isNotDone();
    } finally {
      releaseReplication();
    }
    SyncResult done = all.get(20, TimeUnit.SECONDS);
    assertThat(done.satisfied()).isTrue();
    assertThat(done.applied()).containsExactly("replica");
    assertThat(new Shop(new NaiveRouting(db.primary(), List.of(db.replica()))).profileName(id))
        .as("confirmed: the replica itself shows the write")
        .isEqualTo("New");
  }

  @Test
  void laggingReplicaLeavesTheRotationAndReturnsWithoutCascade() throws Exception {
    try (RoutingDataSource two =
        RoutingDataSource.builder()
            .primary("primary", db.primary())
            .replica("r1", db.replica())
            .replica("r2", db.replica())
            .options(
                ReplicaOptions.builder()
                    .sourceId(SOURCE)
                    .maxLag(Duration.ofMillis(300))
                    .pollInterval(Duration.ofMillis(20))
                    .build())
            .build()) {
      lagging(() -> {
        seed("INSERT INTO profile VALUES (?, 'lag')", nextId());
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(() ->
                assertThat(two.status().stream().filter(ReplicaStatus::inRotation).count())
                    .as("one replica left, the last one stays")
                    .isEqualTo(1));
        await()
            .during(Duration.ofMillis(300))
            .atMost(Duration.ofSeconds(5))
            .until(() -> two.status().stream().filter(ReplicaStatus::inRotation).count() == 1);
      });
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() ->
              assertThat(two.status().stream().filter(ReplicaStatus::inRotation).count())
                  .as("both back")
                  .isEqualTo(2));
    }
  }

  @Test
  void boundedStalenessReadsAReplicaOnlyWithinTheBound() throws Exception {
    long id = nextId();
    seed("INSERT INTO profile VALUES (?, 'Old')", id);
    replicated();
    ConsistencyPolicy bound = ConsistencyPolicy.boundedStaleness(Duration.ofMillis(500));
    lagging(() -> {
      seed("UPDATE profile SET name = 'New' WHERE id = ?", id);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> replicaStatus(routing).lagTime().toMillis() > 600);
      assertThat(Consistency.withPolicy(bound, () -> cohort.profileName(id)))
          .as("replica too far behind: primary")
          .isEqualTo("New");
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> replicaStatus(routing).lagTime().isZero());
    assertThat(Consistency.withPolicy(bound, () -> cohort.profileName(id))).isEqualTo("New");
  }

  // ---- a replica refusing a write ----

  @Test
  void aWriteTheReplicaRefusesAsReadOnlyRunsOnThePrimaryOnceOutsideTransactions() throws Exception {
    createRecordVisit();
    replicated();
    long prepared = nextId();
    long plain = nextId();
    long inTransaction = nextId();
    try (RoutingDataSource app = appRouting()) {
      assertThat(
              Consistency.withPolicy(
                  ConsistencyPolicy.EVENTUAL,
                  () -> {
                    try (Connection c = app.getConnection();
                        PreparedStatement s = c.prepareStatement("SELECT record_visit(?)")) {
                      s.setLong(1, prepared);
                      return single(s.executeQuery());
                    }
                  }))
          .isEqualTo(prepared);
      assertThat(
              Consistency.withPolicy(
                  ConsistencyPolicy.EVENTUAL,
                  () -> {
                    try (Connection c = app.getConnection();
                        Statement s = c.createStatement()) {
                      return single(s.executeQuery("SELECT record_visit(" + plain + ")"));
                    }
                  }))
          .isEqualTo(plain);
      MeterRegistry r = app.meterRegistry();
      assertThat(
              r.find("cohort.replica.fallbacks")
                  .tag("reason", "replica_read_only")
                  .counter()
                  .count())
          .isEqualTo(2.0);
      assertThat(Consistency.token().position(SOURCE)).as("the session wrote").isPresent();

      try (Connection c = app.getConnection()) {
        c.setReadOnly(true);
        c.setAutoCommit(false);
        try (PreparedStatement s = c.prepareStatement("SELECT record_visit(?)")) {
          s.setLong(1, inTransaction);
          assertThatThrownBy(s::executeQuery)
              .as("inside a transaction: refused, not retried")
              .isInstanceOf(SQLException.class);
        }
        c.rollback();
      }
    }
    assertThat(visitsOnPrimary(prepared, plain)).isEqualTo(2);
  }

  private static long single(ResultSet rs) throws SQLException {
    try (rs) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private long visitsOnPrimary(long a, long b) throws SQLException {
    try (Connection c = db.primary().getConnection();
        PreparedStatement s = c.prepareStatement("SELECT count(*) FROM visit WHERE id IN (?, ?)")) {
      s.setLong(1, a);
      s.setLong(2, b);
      return single(s.executeQuery());
    }
  }

  // ---- bad configuration ----

  @Test
  void withoutReplicasEverythingGoesToThePrimary() throws Exception {
    long id = nextId();
    seed("INSERT INTO profile VALUES (?, 'Old')", id);
    try (RoutingDataSource alone =
        RoutingDataSource.builder()
            .primary("primary", db.primary())
            .options(ReplicaOptions.builder().sourceId(SOURCE).build())
            .build()) {
      Shop shop = new Shop(Routing.cohort(alone));
      lagging(() -> {
        shop.updateProfile(id, "New");
        assertThat(Consistency.withPolicy(ConsistencyPolicy.EVENTUAL, () -> shop.profileName(id)))
            .isEqualTo("New");
      });
      assertThat(
              alone
                  .meterRegistry()
                  .find("cohort.replica.reads")
                  .tag("role", "primary")
                  .counter()
                  .count())
          .isEqualTo(1.0);
    }
  }

  @Test
  void unreachableReplicaIsSkippedAndReported() throws Exception {
    long id = nextId();
    seed("INSERT INTO profile VALUES (?, 'Old')", id);
    replicated();
    try (DeadPool dead = DeadPool.open();
        RoutingDataSource withDead =
            RoutingDataSource.builder()
                .primary("primary", db.primary())
                .replica("dead", dead.dataSource())
                .replica("replica", db.replica())
                .options(ReplicaOptions.builder().sourceId(SOURCE).build())
                .build()) {
      ReplicaStatus status =
          withDead.status().stream().filter(s -> s.name().equals("dead")).findFirst().orElseThrow();
      assertThat(status.up()).isFalse();
      assertThat(status.inRotation()).isFalse();
      assertThat(status.lastError()).isPresent();
      Shop shop = new Shop(Routing.cohort(withDead));
      for (int i = 0; i < 4; i++) {
        assertThat(Consistency.withPolicy(ConsistencyPolicy.EVENTUAL, () -> shop.profileName(id)))
            .isEqualTo("Old");
      }
      assertThat(
              withDead
                  .meterRegistry()
                  .find("cohort.replica.reads")
                  .tag("target", "dead")
                  .counters())
          .isEmpty();
    }
  }

  ReplicaStatus replicaStatus(RoutingDataSource ds) {
    return ds.status().stream().filter(s -> !s.primary()).findFirst().orElseThrow();
  }

  String primaryBalance(long account) throws Exception {
    return Consistency.primary(() -> cohort.balance(account)).setScale(2).toPlainString();
  }

  String primaryLockOwner(String key) throws Exception {
    return Consistency.primary(() -> cohort.lockOwner(key)).orElse(null);
  }
}
