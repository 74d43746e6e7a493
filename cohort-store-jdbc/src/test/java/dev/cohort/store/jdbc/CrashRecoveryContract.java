package dev.cohort.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cohort.api.BranchContext;
import dev.cohort.api.BranchId;
import dev.cohort.api.DuplicateTransactionException;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.SagaStep;
import dev.cohort.coordinator.TccParticipant;
import dev.cohort.coordinator.TransactionView;
import dev.cohort.store.jdbc.CrashChild.Point;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A child JVM runs a transaction on a log and is SIGKILLed at a durable point; a fresh engine on
 * the same log must finish the transaction, and every participant must have acted on each phase-two
 * call exactly once while having seen it at least once. One subclass per log (SQLite, PostgreSQL,
 * MariaDB).
 */
abstract class CrashRecoveryContract {
  @TempDir Path dir;

  /** An empty log for this test, as the child and the fresh engine both open it. */
  abstract CrashLog freshLog() throws Exception;

  @ParameterizedTest
  @EnumSource(
      value = Point.class,
      mode = EnumSource.Mode.EXCLUDE,
      names = {"STRESS", "OPEN", "BACKLOG", "PRESUMED_AFTER_TRIES", "PRESUMED_AFTER_DECISION"})
  void aFreshEngineFinishesWhatAKilledOneLeft(Point point) throws Exception {
    CrashLog log = freshLog();
    Path effectsFile = dir.resolve("effects.db");
    Effects effects = new Effects(effectsFile);
    Gid gid = Gid.random();

    killChildAt(point, log, effectsFile, gid);

    try (JdbcTransactionStore store = log.open();
        Coordinator fresh = recoveringCoordinator(store, effects, null)) {
      fresh.start();
      awaitRecovered(fresh);
      GlobalStatus status = fresh.find(gid).status();
      switch (point) {
        case AFTER_BEGIN, AFTER_TRIES -> {
          assertThat(status).isEqualTo(GlobalStatus.ROLLED_BACK);
          assertOnce(effects, gid, "b1", "cancel");
          assertOnce(effects, gid, "b2", "cancel");
          assertThat(effects.calls(gid, "b1", "confirm")).isZero();
          assertThat(effects.calls(gid, "b2", "confirm")).isZero();
        }
        case AFTER_DECISION, MID_CONFIRM -> {
          assertThat(status).isEqualTo(GlobalStatus.COMMITTED);
          assertOnce(effects, gid, "b1", "confirm");
          assertOnce(effects, gid, "b2", "confirm");
          assertThat(effects.calls(gid, "b1", "cancel")).isZero();
          if (point == Point.MID_CONFIRM) {
            // Delivered before the kill, then again by the fresh engine: seen twice, acted once.
            assertThat(effects.calls(gid, "b2", "confirm")).isEqualTo(2);
          }
        }
        case TCC_MID_CANCEL -> {
          assertThat(status).isEqualTo(GlobalStatus.ROLLED_BACK);
          assertThat(fresh.find(gid).global().reason()).contains("out of stock");
          assertOnce(effects, gid, "b1", "cancel");
          assertThat(effects.calls(gid, "b1", "cancel")).isEqualTo(2);
          assertThat(effects.calls(gid, "b1", "confirm")).isZero();
          assertThat(effects.calls(gid, "b2", "confirm")).isZero();
        }
        case SAGA_MID_FORWARD -> {
          assertThat(status).isEqualTo(GlobalStatus.COMMITTED);
          assertOnce(effects, gid, "s1", "action");
          assertOnce(effects, gid, "s2", "action");
          assertOnce(effects, gid, "s3", "action");
          // debit's success was to ride with the saga's next write, which the kill prevented: the
          // fresh engine calls it again and the barrier keeps its effect single.
          assertThat(effects.calls(gid, "s1", "action")).isEqualTo(2);
          assertThat(effects.calls(gid, "s1", "compensate")).isZero();
        }
        case SAGA_MID_COMPENSATION -> {
          assertThat(status).isEqualTo(GlobalStatus.ROLLED_BACK);
          assertOnce(effects, gid, "s3", "compensate");
          assertOnce(effects, gid, "s2", "compensate");
          assertOnce(effects, gid, "s1", "compensate");
          assertThat(effects.calls(gid, "s2", "compensate")).isEqualTo(2);
        }
        case STRESS, OPEN, BACKLOG, PRESUMED_AFTER_TRIES, PRESUMED_AFTER_DECISION ->
            throw new IllegalArgumentException("has a test of its own: " + point);
      }
    }
  }

  @Test
  void presumedAbortKilledInItsTriesLeavesNothingAndTheParticipantsQueryRollsItBack()
      throws Exception {
    Killed killed = killAt(Point.PRESUMED_AFTER_TRIES);
    Effects effects = killed.effects();
    Gid gid = killed.gid();

    try (JdbcTransactionStore store = killed.log().open();
        Coordinator fresh = recoveringCoordinator(store, effects, null)) {
      fresh.start();
      awaitRecovered(fresh);
      assertThat(store.load(gid)).as("nothing was written before the decision").isEmpty();
      assertThat(effects.calls(gid, "b1", "try")).isEqualTo(1);
      assertThat(effects.calls(gid, "b2", "try")).isEqualTo(1);

      // What each participant's held-branch resolver does with its held try: ask, then obey.
      for (String branch : List.of("b1", "b2")) {
        TransactionView answer = fresh.outcomeForParticipant(gid);
        assertThat(answer.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
        effects.record(new BranchContext(gid, BranchId.of(branch), null, 1), "cancel");
      }

      assertThat(fresh.find(gid).global().reason()).isEqualTo(Coordinator.PRESUMED_ABORT);
      assertOnce(effects, gid, "b1", "cancel");
      assertOnce(effects, gid, "b2", "cancel");
      assertThat(effects.calls(gid, "b1", "confirm")).isZero();
      // The gid can never commit now, whoever tries it again.
      assertThatThrownBy(() ->
              fresh
                  .tcc()
                  .gid(gid)
                  .presumedAbort()
                  .branch("account", "100")
                  .branch("stock", "sku-1")
                  .execute())
          .isInstanceOf(DuplicateTransactionException.class);
    }
  }

  @Test
  void presumedAbortKilledAfterItsDecisionIsCommittedByTheFreshEngine() throws Exception {
    Killed killed = killAt(Point.PRESUMED_AFTER_DECISION);
    Effects effects = killed.effects();
    Gid gid = killed.gid();

    try (JdbcTransactionStore store = killed.log().open();
        Coordinator fresh = recoveringCoordinator(store, effects, null)) {
      fresh.start();
      awaitRecovered(fresh);
      assertThat(fresh.find(gid).status()).isEqualTo(GlobalStatus.COMMITTED);
      assertOnce(effects, gid, "b1", "confirm");
      assertOnce(effects, gid, "b2", "confirm");
      assertThat(effects.calls(gid, "b1", "cancel")).isZero();
      // A participant asking now hears the commit, not a presumed abort.
      assertThat(fresh.outcomeForParticipant(gid).status()).isEqualTo(GlobalStatus.COMMITTED);
    }
  }

  @Test
  void anOpenTransactionOfAKilledNodeCanStillBeCommittedAfterTheRestart() throws Exception {
    CrashLog log = freshLog();
    Path effectsFile = dir.resolve("effects.db");
    Effects effects = new Effects(effectsFile);
    Gid gid = Gid.random();

    killChildAt(Point.OPEN, log, effectsFile, gid);

    try (JdbcTransactionStore store = log.open();
        Coordinator fresh = recoveringCoordinator(store, effects, null)) {
      fresh.start();
      awaitRecovered(fresh);
      assertThat(fresh.find(gid).status()).isEqualTo(GlobalStatus.OPEN);
      assertThat(effects.calls(gid, "b1", "cancel")).isZero();

      assertThat(fresh.commit(gid).status()).isEqualTo(GlobalStatus.COMMITTED);
      assertOnce(effects, gid, "b1", "confirm");
    }
  }

  @Test
  void aBacklogIsFinishedWhileOneOfItsParticipantsHangs() throws Exception {
    CrashLog log = freshLog();
    Path effectsFile = dir.resolve("effects.db");
    Effects effects = new Effects(effectsFile);
    Gid base = Gid.random();
    Gid hung = CrashChild.backlogGid(base, 0);

    killChildAt(Point.BACKLOG, log, effectsFile, base);

    CountDownLatch release = new CountDownLatch(1);
    try (JdbcTransactionStore store = log.open();
        Coordinator fresh = recoveringCoordinator(store, effects, new Hang(hung, release))) {
      fresh.start();
      try {
        // Every transaction but the hung one finishes while recovery still waits on that one.
        for (int n = 1; n < CrashChild.BACKLOG; n++) {
          Gid gid = CrashChild.backlogGid(base, n);
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> fresh.find(gid).status() == GlobalStatus.COMMITTED);
          assertOnce(effects, gid, "b2", "confirm");
        }
        assertThat(fresh.find(hung).status()).isEqualTo(GlobalStatus.COMMITTING);
        assertThat(fresh.recovery().recovering()).isTrue();
        assertThat(fresh.recovery().resumed()).isEqualTo(CrashChild.BACKLOG);
      } finally {
        release.countDown();
      }
      awaitRecovered(fresh);
      assertThat(fresh.find(hung).status()).isEqualTo(GlobalStatus.COMMITTED);
      assertOnce(effects, hung, "b2", "confirm");
    }
  }

  @Test
  void manyTransactionsKilledMidFlightAllFinishConsistently() throws Exception {
    CrashLog log = freshLog();
    Path effectsFile = dir.resolve("effects.db");
    Effects effects = new Effects(effectsFile);

    killChildAt(Point.STRESS, log, effectsFile, Gid.random());

    try (JdbcTransactionStore before = log.open()) {
      before.open();
      int inFlight = 0;
      for (GlobalStatus open :
          List.of(GlobalStatus.BEGUN, GlobalStatus.COMMITTING, GlobalStatus.ROLLING_BACK)) {
        inFlight += before.findByStatus(open, 1000).size();
      }
      // Eight callers were each inside a transaction when the child died.
      assertThat(inFlight).as("transactions the kill left unfinished").isPositive();
    }
    try (JdbcTransactionStore store = log.open();
        Coordinator fresh = recoveringCoordinator(store, effects, null)) {
      fresh.start();
      awaitRecovered(fresh);
      for (GlobalStatus open :
          List.of(
              GlobalStatus.BEGUN,
              GlobalStatus.COMMITTING,
              GlobalStatus.ROLLING_BACK,
              GlobalStatus.FAILED)) {
        assertThat(fresh.findByStatus(open, 10)).as("transactions left " + open).isEmpty();
      }
      List<Gid> gids = effects.gids();
      assertThat(gids.size()).isGreaterThanOrEqualTo(CrashChild.STRESS_FINISHED_BEFORE_KILL);
      int committed = 0;
      for (Gid gid : gids) {
        GlobalStatus status = fresh.find(gid).status();
        for (String branch : List.of("b1", "b2")) {
          if (status == GlobalStatus.COMMITTED) {
            assertOnce(effects, gid, branch, "confirm");
            assertThat(effects.effects(gid, branch, "cancel")).isZero();
          } else {
            assertThat(status).isEqualTo(GlobalStatus.ROLLED_BACK);
            assertOnce(effects, gid, branch, "cancel");
            assertThat(effects.effects(gid, branch, "confirm")).isZero();
          }
        }
        if (status == GlobalStatus.COMMITTED) {
          committed++;
          assertThat(CrashChild.refused(gid.value())).isFalse();
        }
      }
      assertThat(committed).isPositive();
    }
  }

  /** A child killed at {@code point} while running one transaction, and what it left. */
  private record Killed(CrashLog log, Effects effects, Gid gid) {}

  private Killed killAt(Point point) throws Exception {
    CrashLog log = freshLog();
    Path effectsFile = dir.resolve("effects.db");
    Effects effects = new Effects(effectsFile);
    Gid gid = Gid.random();
    killChildAt(point, log, effectsFile, gid);
    return new Killed(log, effects, gid);
  }

  private static void assertOnce(Effects effects, Gid gid, String branch, String op) {
    assertThat(effects.calls(gid, branch, op)).as(branch + " " + op + " calls").isGreaterThan(0);
    assertThat(effects.effects(gid, branch, op)).as(branch + " " + op + " effects").isEqualTo(1);
  }

  private static void awaitRecovered(Coordinator fresh) {
    await().atMost(Duration.ofSeconds(60)).until(() -> !fresh.recovery().recovering());
  }

  private static void killChildAt(Point point, CrashLog log, Path effects, Gid gid)
      throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CrashChild.class.getName());
    command.addAll(log.args());
    command.add(effects.toString());
    command.add(point.name());
    command.add(gid.value());
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      CompletableFuture<String> reached =
          CompletableFuture.supplyAsync(() -> {
            StringBuilder seen = new StringBuilder();
            try (BufferedReader out =
                new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
              String line;
              while ((line = out.readLine()) != null) {
                if (line.startsWith("REACHED ")) {
                  return line.substring("REACHED ".length());
                }
                seen.append(line).append('\n');
              }
            } catch (java.io.IOException e) {
              seen.append(e);
            }
            return "child ended without reaching the point; output:\n" + seen;
          });
      assertThat(reached.get(60, TimeUnit.SECONDS)).isEqualTo(point.name());
    } finally {
      // destroyForcibly is SIGKILL on Linux: no shutdown hooks, no flushing, like a power cut.
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(child.exitValue()).isEqualTo(137);
  }

  /** The stock confirm of one transaction waits for {@code release}: a participant that hangs. */
  private record Hang(Gid gid, CountDownLatch release) {
    void maybe(dev.cohort.api.BranchContext ctx) throws InterruptedException {
      if (ctx.gid().equals(gid)) {
        release.await(2, TimeUnit.MINUTES);
      }
    }
  }

  private static Coordinator recoveringCoordinator(
      JdbcTransactionStore store, Effects effects, Hang hang) {
    Coordinator c =
        Coordinator.builder(store)
            .options(CoordinatorOptions.newBuilder().nodeId(CrashChild.NODE).build())
            .build();
    for (String name : new String[] {"account", "stock"}) {
      c.registerTcc(
          name,
          TccParticipant.of(
              ctx -> effects.record(ctx, "try"),
              ctx -> {
                if (hang != null && name.equals("stock")) {
                  hang.maybe(ctx);
                }
                effects.record(ctx, "confirm");
              },
              ctx -> effects.record(ctx, "cancel")));
    }
    for (String name : new String[] {"debit", "reserve", "ship"}) {
      c.registerSagaStep(
          name,
          SagaStep.of(
              ctx -> effects.record(ctx, "action"), ctx -> effects.record(ctx, "compensate")));
    }
    return c;
  }
}
