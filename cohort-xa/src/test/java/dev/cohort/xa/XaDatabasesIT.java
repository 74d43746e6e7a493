package dev.cohort.xa;

import static dev.cohort.xa.XaDatabases.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import dev.cohort.testing.time.ManualScheduler;
import dev.cohort.testing.time.MutableClock;
import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.RollbackException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.XAConnection;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The manager and its pool on a real MariaDB and a real PostgreSQL, logging to SQLite. */
class XaDatabasesIT {
  private static XaDatabases db;

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<String> moves = new ArrayList<>();

  @BeforeAll
  static void databases() {
    db = new XaDatabases("xa_it");
  }

  @AfterAll
  static void closeDatabases() {
    db.close();
  }

  @BeforeEach
  void freshAccounts() {
    db.reset();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  /** A manager and its two pools, all on the log in this test's directory. */
  private final class Node {
    final JdbcTransactionStore store;
    final XaTransactionManager tm;
    final XaPool maria;
    final XaPool pg;

    Node(XaHooks hooks) {
      this(hooks, true);
    }

    Node(XaHooks hooks, boolean branchesInParallel) {
      store = JdbcTransactionStore.sqlite(dir.resolve("xa-log.db"));
      tm =
          XaTransactionManager.builder(store)
              .nodeId("it")
              .hooks(hooks)
              .branchesInParallel(branchesInParallel)
              .build();
      maria = XaPool.builder("accounts-maria", db.mariaXa(), tm).maxSize(4).build();
      pg = XaPool.builder("accounts-pg", db.pgXa(), tm).maxSize(4).build();
      open.add(store);
      open.add(maria);
      open.add(pg);
    }

    String transfer(long cents) throws Exception {
      tm.begin();
      String gid = (String) tm.getTransactionKey();
      add(maria, -cents);
      add(pg, cents);
      add(pg, 0); // a second getConnection in the same transaction reuses the enlisted one
      tm.commit();
      return gid;
    }

    GlobalStatus logged(String gid) {
      return store.load(Gid.of(gid)).map(t -> t.global().status()).orElse(null);
    }

    /** What a crash does to the connections: they close, their prepared branches stay. */
    void crash() {
      maria.close();
      pg.close();
    }
  }

  private Node node() {
    return node(
        new XaHooks() {
          @Override
          public void moved(String kind, String from, String to) {
            moves.add(kind + ":" + from + "->" + to);
          }
        });
  }

  private Node node(XaHooks hooks) {
    return new Node(hooks);
  }

  @Test
  void aTransferCommitsOnBothDatabasesAndIsLoggedAsAnXaTransaction() throws Exception {
    Node n = node();
    String gid = n.transfer(30);

    assertThat(db.mariaCents()).isEqualTo(70);
    assertThat(db.pgCents()).isEqualTo(130);
    Awaitility.await().until(() -> n.logged(gid) == GlobalStatus.COMMITTED);
    GlobalRecord g = n.store.load(Gid.of(gid)).orElseThrow().global();
    assertThat(g.mode()).isEqualTo(Mode.XA);
    assertThat(n.store.load(Gid.of(gid)).orElseThrow().branches())
        .extracting(b -> b.participant())
        .containsExactly("accounts-maria", "accounts-pg");
  }

  @Test
  void aRollbackLeavesBothDatabasesUnchanged() throws Exception {
    Node n = node();
    n.tm.begin();
    add(n.maria, -30);
    add(n.pg, 30);
    n.tm.rollback();

    assertThat(db.mariaCents()).isEqualTo(100);
    assertThat(db.pgCents()).isEqualTo(100);
  }

  @Test
  void oneDatabaseCommitsInOnePhaseWithoutALogRecord() throws Exception {
    Node n = node();
    n.tm.begin();
    String gid = (String) n.tm.getTransactionKey();
    add(n.pg, 5);
    n.tm.commit();

    assertThat(db.pgCents()).isEqualTo(105);
    assertThat(n.logged(gid)).isNull();
    assertThat(moves).contains("branch:ended->committed").doesNotContain("tx:active->preparing");
  }

  @Test
  void aReadingBranchCommitsWithTheWritingOne() throws Exception {
    Node n = node();
    n.tm.begin();
    add(n.maria, -1);
    assertThat(XaDatabases.cents(n.pg)).isEqualTo(100); // PostgreSQL only reads
    n.tm.commit();
    assertThat(db.mariaCents()).isEqualTo(99);
  }

  @Test
  void outsideATransactionThePoolIsAnAutoCommitPool() throws Exception {
    Node n = node();
    add(n.maria, 1);
    assertThat(db.mariaCents()).isEqualTo(101);
  }

  @Test
  void aCrashBetweenDecisionAndPhaseTwoIsCommittedByRecovery() throws Exception {
    Node crashing =
        node(
            new XaHooks() {
              @Override
              public void afterDecision(String gid) {
                throw new IllegalStateException("simulated crash after the decision");
              }
            });
    crashing.tm.begin();
    String gid = (String) crashing.tm.getTransactionKey();
    add(crashing.maria, -40);
    add(crashing.pg, 40);
    assertThatThrownBy(crashing.tm::commit).hasMessageContaining("simulated crash");
    crashing.crash();
    assertThat(db.mariaCents()).isEqualTo(100); // prepared, not committed
    assertThat(db.pgPrepared()).hasSize(1);

    Node restarted = node();
    RecoveryReport report = restarted.tm.recover(restarted.maria, restarted.pg);

    assertThat(report.committed()).isEqualTo(2);
    assertThat(report.completed()).isEqualTo(1);
    assertThat(db.mariaCents()).isEqualTo(60);
    assertThat(db.pgCents()).isEqualTo(140);
    assertThat(db.pgPrepared()).isEmpty();
    assertThat(restarted.logged(gid)).isEqualTo(GlobalStatus.COMMITTED);
  }

  @Test
  void preparedBranchesWithoutADecisionAreRolledBackByRecovery() throws Exception {
    Node crashing =
        node(
            new XaHooks() {
              @Override
              public void beforePrepare(String resource, Xid xid) {
                if (resource.equals("accounts-pg")) {
                  throw new IllegalStateException("simulated crash during phase one");
                }
              }
            });
    crashing.tm.begin();
    add(crashing.maria, -40);
    add(crashing.pg, 40);
    assertThatThrownBy(crashing.tm::commit).hasMessageContaining("simulated crash");
    crashing.crash();
    assertThat(db.mariaPrepared()).hasSize(1); // MariaDB voted yes, then the manager died

    Node restarted = node();
    RecoveryReport report = restarted.tm.recover(restarted.maria, restarted.pg);

    assertThat(report.rolledBack()).isEqualTo(1);
    assertThat(db.mariaPrepared()).isEmpty();
    assertThat(db.mariaCents()).isEqualTo(100);
    assertThat(db.pgCents()).isEqualTo(100);
  }

  @Test
  void xidsOfOtherManagersAndNodesAreLeftAlone() throws Exception {
    Xid foreign = xid(4711, "someone-else:1");
    Xid otherNode = xid(0x436F6858, "other-node:0123");
    prepareByHand(db.mariaXa().getXAConnection(), foreign);
    prepareByHand(db.pgXa().getXAConnection(), otherNode);
    try {
      Node n = node();
      RecoveryReport report = n.tm.recover(n.maria, n.pg);

      assertThat(report.foreign()).isEqualTo(2);
      assertThat(report.committed() + report.rolledBack()).isZero();
      assertThat(db.mariaPrepared()).singleElement().asString().startsWith("4711:someone-else:");
      assertThat(db.pgPrepared()).hasSize(1);
    } finally {
      db.reset();
    }
  }

  @Test
  void aHeuristicRollbackAfterTheDecisionIsSurfacedAsFailed() throws Exception {
    // An operator rolls the PostgreSQL branch back by hand while it waits for phase two, and
    // the resource reports the heuristic outcome (neither database keeps heuristic records).
    Node n =
        node(
            new XaHooks() {
              @Override
              public void beforeCommit(String resource, Xid xid) throws XAException {
                if (resource.equals("accounts-pg")) {
                  rollbackByHand(db.pgXa(), xid);
                  throw new XAException(XAException.XA_HEURRB);
                }
              }
            });
    n.tm.begin();
    String gid = (String) n.tm.getTransactionKey();
    add(n.maria, -10);
    add(n.pg, 10);

    assertThatThrownBy(n.tm::commit)
        .isInstanceOf(HeuristicMixedException.class)
        .hasMessageContaining("commit on resource 'accounts-pg' failed for xid " + gid + "/2")
        .hasMessageContaining("XA_HEURRB");
    assertThat(db.mariaCents()).isEqualTo(90);
    assertThat(db.pgCents()).isEqualTo(100);
    Awaitility.await().until(() -> n.logged(gid) == GlobalStatus.FAILED);
    assertThat(n.store.load(Gid.of(gid)).orElseThrow().global().reason())
        .contains("accounts-pg")
        .contains("XA_HEURRB");
  }

  @Test
  void aDatabaseDownAtPrepareVotesNoAndEverythingRollsBack() throws Exception {
    AtomicBoolean killed = new AtomicBoolean();
    Node n =
        node(
            new XaHooks() {
              @Override
              public void beforePrepare(String resource, Xid xid) {
                if (resource.equals("accounts-pg") && killed.compareAndSet(false, true)) {
                  db.killPgConnections();
                }
              }
            });
    n.tm.begin();
    add(n.maria, -10);
    add(n.pg, 10);

    assertThatThrownBy(n.tm::commit)
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("voted no")
        .hasMessageContaining("prepare on resource 'accounts-pg'");
    assertThat(db.mariaPrepared()).isEmpty();
    assertThat(db.pgPrepared()).isEmpty();
    assertThat(db.mariaCents()).isEqualTo(100);
    assertThat(db.pgCents()).isEqualTo(100);
    n.transfer(1); // the pool replaced the dead connection
    assertThat(db.pgCents()).isEqualTo(101);
  }

  @Test
  void aConnectionLostAfterPrepareIsCommittedThroughRecovery() throws Exception {
    AtomicBoolean killed = new AtomicBoolean();
    Node n =
        node(
            new XaHooks() {
              @Override
              public void beforeCommit(String resource, Xid xid) {
                if (resource.equals("accounts-pg") && killed.compareAndSet(false, true)) {
                  db.killPgConnections();
                }
              }
            });
    String gid = n.transfer(25); // returns: the decision is commit and it is logged

    assertThat(db.mariaCents()).isEqualTo(75);
    assertThat(db.pgCents()).isEqualTo(100);
    assertThat(n.logged(gid)).isEqualTo(GlobalStatus.COMMITTING);

    RecoveryReport report = n.tm.recover(n.maria, n.pg);

    assertThat(report.committed()).isEqualTo(1);
    assertThat(db.pgCents()).isEqualTo(125);
    assertThat(n.logged(gid)).isEqualTo(GlobalStatus.COMMITTED);
  }

  @Test
  void repeatedRecoveryFinishesABranchLeftInDoubtWithoutACall() throws Exception {
    AtomicBoolean killed = new AtomicBoolean();
    Node n =
        node(
            new XaHooks() {
              @Override
              public void beforeCommit(String resource, Xid xid) {
                if (resource.equals("accounts-pg") && killed.compareAndSet(false, true)) {
                  db.killPgConnections();
                }
              }
            });
    ManualScheduler scheduler = new ManualScheduler(new MutableClock(Instant.EPOCH));
    n.tm.recoverRepeatedly(scheduler, Duration.ofSeconds(30), List.of(n.maria, n.pg));
    String gid = n.transfer(25);
    assertThat(n.logged(gid)).isEqualTo(GlobalStatus.COMMITTING);

    scheduler.advance(Duration.ofSeconds(29));
    assertThat(db.pgCents()).as("no run before the interval").isEqualTo(100);

    scheduler.advance(Duration.ofSeconds(1));
    assertThat(db.pgCents()).isEqualTo(125);
    assertThat(n.logged(gid)).isEqualTo(GlobalStatus.COMMITTED);

    n.tm.close(); // stops the repetition
    assertThat(scheduler.pendingDelays()).isEmpty();
  }

  /**
   * A recovery run while a transaction is between its prepares and its logged decision (one branch
   * prepared, the next about to be) leaves that branch alone: it is in progress, not in doubt. Run
   * with the prepares at once and one after the other: either way MariaDB's prepare waits until
   * PostgreSQL's branch is prepared, then the run happens.
   */
  @ParameterizedTest(name = "branches in parallel: {0}")
  @ValueSource(booleans = {true, false})
  void recoveryDuringATransactionLeavesItsPreparedBranchesAlone(boolean parallel) throws Exception {
    List<RecoveryReport> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
    Node[] self = new Node[1];
    self[0] =
        new Node(
            new XaHooks() {
              @Override
              public void beforePrepare(String resource, Xid xid) {
                if (resource.equals("accounts-maria")) {
                  Awaitility.await()
                      .atMost(Duration.ofSeconds(30))
                      .until(() -> !db.pgPrepared().isEmpty());
                  reports.add(self[0].tm.recover(self[0].maria, self[0].pg));
                }
              }
            },
            parallel);
    // PostgreSQL first: pg_prepared_xacts lists a branch while its session is still attached
    // (MariaDB's XA RECOVER does not), so the run sees the prepared branch.
    Node n = self[0];
    n.tm.begin();
    String gid = (String) n.tm.getTransactionKey();
    add(n.pg, 25);
    add(n.maria, -25);
    n.tm.commit();

    assertThat(reports).hasSize(1);
    RecoveryReport during = reports.getFirst();
    assertThat(during.rolledBack()).isZero();
    assertThat(during.unresolved()).as("nothing of it tried and refused").isEmpty();
    assertThat(db.mariaCents()).isEqualTo(75);
    assertThat(db.pgCents()).isEqualTo(125);
    // COMMITTED is written after commit() returned (a lost write only leaves recovery to do it).
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> self[0].logged(gid) == GlobalStatus.COMMITTED);
  }

  /**
   * Prepare and commit go to both databases at once: each resource's call waits until the other's
   * has started, which one after the other could never satisfy (each wait would run out).
   */
  @Test
  void bothResourcesArePreparedAndCommittedAtOnce() throws Exception {
    java.util.concurrent.ConcurrentMap<String, Boolean> overlapped =
        new java.util.concurrent.ConcurrentHashMap<>();
    java.util.concurrent.CyclicBarrier prepares = new java.util.concurrent.CyclicBarrier(2);
    java.util.concurrent.CyclicBarrier commits = new java.util.concurrent.CyclicBarrier(2);
    Node n =
        node(
            new XaHooks() {
              @Override
              public void beforePrepare(String resource, Xid xid) {
                overlapped.put("prepare " + resource, meet(prepares));
              }

              @Override
              public void beforeCommit(String resource, Xid xid) {
                overlapped.put("commit " + resource, meet(commits));
              }
            });
    String gid = n.transfer(10);

    assertThat(overlapped)
        .containsOnly(
            Map.entry("prepare accounts-maria", true),
            Map.entry("prepare accounts-pg", true),
            Map.entry("commit accounts-maria", true),
            Map.entry("commit accounts-pg", true));
    assertThat(db.mariaCents()).isEqualTo(90);
    assertThat(db.pgCents()).isEqualTo(110);
    assertThat(n.logged(gid)).isIn(GlobalStatus.COMMITTING, GlobalStatus.COMMITTED);
  }

  private static boolean meet(java.util.concurrent.CyclicBarrier barrier) {
    try {
      barrier.await(5, java.util.concurrent.TimeUnit.SECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException
        | java.util.concurrent.BrokenBarrierException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Xid xid(int format, String gtrid) {
    return new Xid() {
      @Override
      public int getFormatId() {
        return format;
      }

      @Override
      public byte[] getGlobalTransactionId() {
        return gtrid.getBytes(StandardCharsets.US_ASCII);
      }

      @Override
      public byte[] getBranchQualifier() {
        return "1".getBytes(StandardCharsets.US_ASCII);
      }
    };
  }

  private static void prepareByHand(XAConnection c, Xid xid) throws Exception {
    try {
      XAResource r = c.getXAResource();
      r.start(xid, XAResource.TMNOFLAGS);
      try (var s = c.getConnection().createStatement()) {
        s.executeUpdate("UPDATE account SET cents = cents WHERE id = 'acct'");
      }
      r.end(xid, XAResource.TMSUCCESS);
      r.prepare(xid);
    } finally {
      c.close();
    }
  }

  private static void rollbackByHand(XAConnection c, Xid xid) throws Exception {
    try {
      c.getXAResource().rollback(xid);
    } finally {
      c.close();
    }
  }

  private static void rollbackByHand(javax.sql.XADataSource ds, Xid xid) throws XAException {
    try {
      rollbackByHand(ds.getXAConnection(), xid);
    } catch (XAException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
