package dev.cohort.xa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.spi.StoredTransaction;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import dev.cohort.testing.time.ManualScheduler;
import dev.cohort.testing.time.MutableClock;
import dev.cohort.xa.internal.BranchState;
import dev.cohort.xa.internal.XaErrors;
import dev.cohort.xa.internal.XaTxStatus;
import dev.cohort.xa.internal.XaXid;
import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.HeuristicRollbackException;
import jakarta.transaction.NotSupportedException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manager's protocol and statuses over scripted resources and a real SQLite log. Every legal
 * transaction and branch transition is exercised here (checked after all tests).
 */
class XaTransactionManagerTest {
  private static final Set<String> VISITED = Collections.synchronizedSet(new HashSet<>());

  @TempDir Path dir;
  private JdbcTransactionStore store;
  private MutableClock clock;
  private XaTransactionManager tm;
  private final List<Integer> flushSizes = new CopyOnWriteArrayList<>();

  private final XaHooks recording =
      new XaHooks() {
        @Override
        public void moved(String kind, String from, String to) {
          VISITED.add(kind + ":" + from + "->" + to);
        }
      };

  @BeforeEach
  void start() {
    store = JdbcTransactionStore.sqlite(dir.resolve("xa-log.db"), (n, took) -> flushSizes.add(n));
    clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    tm =
        XaTransactionManager.builder(store)
            .nodeId("unit")
            .clock(clock)
            .hooks(recording)
            .closeStoreOnClose(true)
            .build();
  }

  @AfterEach
  void stop() {
    tm.close();
  }

  private String begin(XAResource... resources) throws Exception {
    tm.begin();
    for (XAResource r : resources) {
      tm.getTransaction().enlistResource(r);
    }
    return (String) tm.getTransactionKey();
  }

  private Optional<StoredTransaction> logged(String gid) {
    return store.load(Gid.of(gid));
  }

  @Test
  void twoResourcesArePreparedThenCommittedAfterTheDecisionIsLogged() throws Exception {
    ScriptedResource a = new ScriptedResource();
    ScriptedResource b = new ScriptedResource();
    String gid = begin(a, b);

    tm.commit();

    assertThat(a.calls).containsExactly("start:new", "end:success", "prepare", "commit:2pc");
    assertThat(b.calls).containsExactly("start:new", "end:success", "prepare", "commit:2pc");
    assertThat(tm.getStatus()).isEqualTo(Status.STATUS_NO_TRANSACTION);
    Awaitility.await()
        .until(
            () -> logged(gid).map(t -> t.global().status()).orElse(null),
            s -> s != null && s == GlobalStatus.COMMITTED);
    StoredTransaction t = logged(gid).orElseThrow();
    assertThat(t.global().mode()).isEqualTo(Mode.XA);
    assertThat(t.branches()).hasSize(2);
  }

  /**
   * COMMITTED rides with the next commit decision (one flush for both), or is written by the
   * scheduler once it waited the whole delay when no decision comes; close writes what still waits.
   */
  @Test
  void committedWaitsForTheNextDecisionOrTheDelay() throws Exception {
    ManualScheduler scheduler = new ManualScheduler(clock);
    XaTransactionManager manual =
        XaTransactionManager.builder(store)
            .nodeId("manual")
            .clock(clock)
            .scheduler(scheduler)
            .build();
    String first = twoPhase(manual);
    assertThat(status(first)).as("nothing came to carry it yet").isEqualTo(GlobalStatus.COMMITTING);

    flushSizes.clear();
    String second = twoPhase(manual);
    assertThat(flushSizes)
        .as("one flush: the decision and the first's COMMITTED")
        .containsExactly(2);
    assertThat(status(first)).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(status(second)).isEqualTo(GlobalStatus.COMMITTING);

    // The timer was set when the first waited; the second came later and waits a whole delay.
    scheduler.advance(Duration.ofMillis(200));
    scheduler.advance(Duration.ofMillis(199));
    assertThat(status(second)).as("not before the delay").isEqualTo(GlobalStatus.COMMITTING);
    scheduler.advance(Duration.ofMillis(1));
    Awaitility.await().until(() -> status(second) == GlobalStatus.COMMITTED);

    String third = twoPhase(manual);
    manual.close();
    assertThat(status(third)).as("close writes what waits").isEqualTo(GlobalStatus.COMMITTED);
  }

  private static String twoPhase(XaTransactionManager manager) throws Exception {
    manager.begin();
    manager.getTransaction().enlistResource(new ScriptedResource());
    manager.getTransaction().enlistResource(new ScriptedResource());
    String gid = (String) manager.getTransactionKey();
    manager.commit();
    return gid;
  }

  private GlobalStatus status(String gid) {
    return logged(gid).map(t -> t.global().status()).orElse(null);
  }

  @Test
  void oneResourceCommitsInOnePhaseAndLogsNothing() throws Exception {
    ScriptedResource a = new ScriptedResource();
    String gid = begin(a);

    tm.commit();

    assertThat(a.calls).containsExactly("start:new", "end:success", "commit:1pc");
    assertThat(logged(gid)).isEmpty();
  }

  @Test
  void noResourceCommitsWithoutCallingAnything() throws Exception {
    String gid = begin();
    tm.commit();
    assertThat(logged(gid)).isEmpty();
  }

  @Test
  void readOnlyVotesAreLeftOutOfPhaseTwo() throws Exception {
    ScriptedResource reader = new ScriptedResource().readOnly();
    ScriptedResource writer = new ScriptedResource();
    ScriptedResource writer2 = new ScriptedResource();
    begin(reader, writer, writer2);

    tm.commit();

    assertThat(reader.calls).containsExactly("start:new", "end:success", "prepare");
    assertThat(writer.calls).endsWith("commit:2pc");
  }

  @Test
  void allReadOnlyVotesFinishWithoutADecision() throws Exception {
    String gid = begin(new ScriptedResource().readOnly(), new ScriptedResource().readOnly());
    tm.commit();
    assertThat(logged(gid)).isEmpty();
  }

  @Test
  void aNoVoteRollsBackEveryBranchAndNamesResourceXidAndCode() throws Exception {
    ScriptedResource a = new ScriptedResource();
    ScriptedResource b = new ScriptedResource().failing("prepare", XAException.XAER_RMFAIL);
    String gid = begin(a, b);

    assertThatThrownBy(tm::commit)
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("voted no")
        .hasMessageContaining("prepare on resource 'ScriptedResource@")
        .hasMessageContaining("xid " + gid + "/2")
        .hasMessageContaining("XAER_RMFAIL (-7, the resource manager is unavailable)");
    assertThat(a.calls).containsExactly("start:new", "end:success", "prepare", "rollback");
    assertThat(b.calls).containsExactly("start:new", "end:success", "prepare", "rollback");
    assertThat(logged(gid)).isEmpty();
  }

  @Test
  void aRollbackVoteIsNotRolledBackAgain() throws Exception {
    ScriptedResource a = new ScriptedResource();
    ScriptedResource b = new ScriptedResource().failing("prepare", XAException.XA_RBDEADLOCK);
    begin(a, b);
    assertThatThrownBy(tm::commit).isInstanceOf(RollbackException.class);
    assertThat(b.calls).doesNotContain("rollback");
  }

  @Test
  void aOnePhaseRollbackIsReportedAsRollback() throws Exception {
    begin(new ScriptedResource().failing("commit", XAException.XA_RBINTEGRITY));
    assertThatThrownBy(tm::commit)
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("XA_RBINTEGRITY");
  }

  @Test
  void aOnePhaseCommitWithUnknownOutcomeIsSurfacedAsFailed() throws Exception {
    String gid = begin(new ScriptedResource().failing("commit", XAException.XAER_RMFAIL));
    assertThatThrownBy(tm::commit)
        .isInstanceOf(HeuristicMixedException.class)
        .hasMessageContaining("is unknown");
    Awaitility.await().until(() -> logged(gid).isPresent());
    assertThat(logged(gid).orElseThrow().global().status()).isEqualTo(GlobalStatus.FAILED);
    assertThat(logged(gid).orElseThrow().global().reason()).contains("XAER_RMFAIL");
  }

  @Test
  void aHeuristicRollbackInPhaseTwoIsSurfacedAsFailed() throws Exception {
    ScriptedResource a = new ScriptedResource();
    ScriptedResource b = new ScriptedResource().failing("commit", XAException.XA_HEURRB);
    String gid = begin(a, b);

    assertThatThrownBy(tm::commit)
        .isInstanceOf(HeuristicMixedException.class)
        .hasMessageContaining("XA_HEURRB");
    assertThat(b.calls).endsWith("forget");
    Awaitility.await()
        .until(() -> logged(gid).orElseThrow().global().status() == GlobalStatus.FAILED);
    assertThat(logged(gid).orElseThrow().global().reason()).contains("heuristically rolled back");
  }

  @Test
  void everyBranchRolledBackHeuristicallyIsAHeuristicRollback() throws Exception {
    begin(
        new ScriptedResource().failing("commit", XAException.XA_HEURRB),
        new ScriptedResource().failing("commit", XAException.XA_HEURRB));
    assertThatThrownBy(tm::commit).isInstanceOf(HeuristicRollbackException.class);
  }

  @Test
  void anUnreachableResourceInPhaseTwoLeavesTheTransactionToRecovery() throws Exception {
    ScriptedResource b = new ScriptedResource().failing("commit", XAException.XAER_RMFAIL);
    List<Integer> after = new ArrayList<>();
    String gid = begin(new ScriptedResource(), b);
    tm.getTransaction().registerSynchronization(sync(after));

    tm.commit(); // the decision is commit; recovery finishes the unreachable branch

    assertThat(after).containsExactly(Status.STATUS_UNKNOWN);
    assertThat(logged(gid).orElseThrow().global().status()).isEqualTo(GlobalStatus.COMMITTING);
  }

  @Test
  void aHeuristicCommitDuringRollbackIsSurfaced() throws Exception {
    String gid = begin(new ScriptedResource().failing("rollback", XAException.XA_HEURCOM));
    assertThatThrownBy(tm::rollback)
        .isInstanceOf(SystemException.class)
        .hasMessageContaining("XA_HEURCOM");
    Awaitility.await().until(() -> logged(gid).isPresent());
    assertThat(logged(gid).orElseThrow().global().status()).isEqualTo(GlobalStatus.FAILED);
  }

  @Test
  void rollbackOnlyRollsBackAtCommit() throws Exception {
    ScriptedResource a = new ScriptedResource();
    begin(a);
    tm.setRollbackOnly();
    assertThat(tm.getStatus()).isEqualTo(Status.STATUS_MARKED_ROLLBACK);
    assertThat(tm.getRollbackOnly()).isTrue();

    assertThatThrownBy(tm::commit)
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("setRollbackOnly() was called");
    assertThat(a.calls).containsExactly("start:new", "end:success", "rollback");
  }

  @Test
  void aTimedOutTransactionRollsBackAtCommit() throws Exception {
    tm.setTransactionTimeout(5);
    ScriptedResource a = new ScriptedResource();
    begin(a);
    clock.advance(Duration.ofSeconds(5));

    assertThatThrownBy(() -> tm.getTransaction().enlistResource(new ScriptedResource()))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("timed out after 5 s");
    assertThatThrownBy(tm::commit).isInstanceOf(RollbackException.class);
    assertThat(a.calls).endsWith("rollback");
  }

  @Test
  void userRollbackRollsBackEveryBranch() throws Exception {
    ScriptedResource a = new ScriptedResource();
    ScriptedResource b = new ScriptedResource();
    begin(a, b);
    tm.rollback();
    assertThat(a.calls).containsExactly("start:new", "end:success", "rollback");
    assertThat(b.calls).containsExactly("start:new", "end:success", "rollback");
  }

  @Test
  void suspendedAndEndedBranchesAreResumedAndJoined() throws Exception {
    ScriptedResource a = new ScriptedResource();
    ScriptedResource b = new ScriptedResource();
    begin(a, b);
    Transaction tx = tm.getTransaction();
    tx.delistResource(a, XAResource.TMSUSPEND);
    tx.enlistResource(a);
    tx.delistResource(a, XAResource.TMSUCCESS);
    tx.enlistResource(a);
    tx.delistResource(b, XAResource.TMSUSPEND); // ended by commit while suspended

    tm.commit();

    assertThat(a.calls)
        .containsExactly(
            "start:new",
            "end:suspend",
            "start:resume",
            "end:success",
            "start:join",
            "end:success",
            "prepare",
            "commit:2pc");
    assertThat(b.calls).contains("end:suspend", "end:success");
  }

  @Test
  void aBranchDelistedWithFailureRollsTheTransactionBack() throws Exception {
    ScriptedResource a = new ScriptedResource();
    begin(a);
    tm.getTransaction().delistResource(a, XAResource.TMFAIL);
    assertThat(tm.getStatus()).isEqualTo(Status.STATUS_MARKED_ROLLBACK);
    assertThatThrownBy(tm::commit).hasMessageContaining("TMFAIL");
  }

  @Test
  void synchronizationsRunInOrderInterposedInside() throws Exception {
    List<String> order = new ArrayList<>();
    begin(new ScriptedResource());
    tm.getTransaction().registerSynchronization(named("outer", order));
    tm.registerInterposedSynchronization(named("inner", order));
    tm.putResource("k", "v");
    assertThat(tm.getResource("k")).isEqualTo("v");

    tm.commit();

    assertThat(order)
        .containsExactly("outer.before", "inner.before", "inner.after:3", "outer.after:3");
  }

  @Test
  void aFailingBeforeCompletionRollsBack() throws Exception {
    ScriptedResource a = new ScriptedResource();
    begin(a);
    tm.getTransaction()
        .registerSynchronization(
            new Synchronization() {
              @Override
              public void beforeCompletion() {
                throw new IllegalStateException("flush failed");
              }

              @Override
              public void afterCompletion(int status) {}
            });
    assertThatThrownBy(tm::commit)
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("flush failed");
  }

  @Test
  void suspendAndResumeMoveTheTransactionBetweenThreads() throws Exception {
    begin(new ScriptedResource());
    Transaction tx = tm.suspend();
    assertThat(tm.getStatus()).isEqualTo(Status.STATUS_NO_TRANSACTION);
    tm.resume(tx);
    assertThat(tm.getTransaction()).isSameAs(tx);
    tm.commit();
  }

  @Test
  void badCallsSayWhatToDo() throws Exception {
    assertThatThrownBy(tm::commit)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("commit: no transaction on this thread; call begin() first");
    assertThatThrownBy(() -> tm.setTransactionTimeout(-1))
        .isInstanceOf(SystemException.class)
        .hasMessageContaining("-1 s is negative");
    assertThatThrownBy(() -> XaTransactionManager.builder(store).nodeId("no/slash"))
        .hasMessageContaining("nodeId 'no/slash' is not 1-31 letters");
    assertThatThrownBy(() -> XaTransactionManager.builder(store).defaultTimeout(Duration.ZERO))
        .hasMessageContaining("at least 1 second");
    assertThatThrownBy(() -> tm.resume(null)).hasMessageContaining("pass what suspend() returned");
    tm.begin();
    assertThatThrownBy(tm::begin)
        .isInstanceOf(NotSupportedException.class)
        .hasMessageContaining("nested transactions are not supported");
    assertThatThrownBy(() -> tm.getTransaction().enlistResource(null))
        .hasMessageContaining("enlistResource(null)");
    assertThatThrownBy(() -> tm.getTransaction().delistResource(new ScriptedResource(), 0))
        .hasMessageContaining("is not enlisted in");
    tm.rollback();
  }

  @Test
  void xaCodesAreNamedWithTheirMeaning() {
    XaXid xid = XaXid.of("n1:abc", 2);
    String message =
        XaErrors.describe("commit", "orders-pg", xid, new XAException(XAException.XA_HEURMIX));
    assertThat(message)
        .isEqualTo(
            "commit on resource 'orders-pg' failed for xid n1:abc/2: XA_HEURMIX (5, the branch"
                + " was partly committed and partly rolled back)");
    assertThat(XaErrors.code(-99)).isEqualTo("unknown XA code -99");
    assertThat(XaXid.gidIfOurs(xid, "n1")).isEqualTo("n1:abc");
    assertThat(XaXid.gidIfOurs(xid, "n")).isNull();
  }

  private static Synchronization sync(List<Integer> after) {
    return new Synchronization() {
      @Override
      public void beforeCompletion() {}

      @Override
      public void afterCompletion(int status) {
        after.add(status);
      }
    };
  }

  private static Synchronization named(String name, List<String> order) {
    return new Synchronization() {
      @Override
      public void beforeCompletion() {
        order.add(name + ".before");
      }

      @Override
      public void afterCompletion(int status) {
        order.add(name + ".after:" + status);
      }
    };
  }

  @AfterAll
  static void everyLegalTransitionWasExercised() {
    List<String> missing = new ArrayList<>();
    for (List<XaTxStatus> t : XaTxStatus.legalTransitions()) {
      String key = "tx:" + t.get(0).code() + "->" + t.get(1).code();
      if (!VISITED.contains(key)) {
        missing.add(key);
      }
    }
    for (List<BranchState> t : BranchState.legalTransitions()) {
      String key = "branch:" + t.get(0).code() + "->" + t.get(1).code();
      if (!VISITED.contains(key)) {
        missing.add(key);
      }
    }
    assertThat(missing).as("legal transitions no test exercised").isEmpty();
  }
}
