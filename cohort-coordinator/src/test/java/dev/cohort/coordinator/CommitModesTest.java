package dev.cohort.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.api.BranchContext;
import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.testing.time.ManualScheduler;
import dev.cohort.testing.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The 2PC and 3PC processors ({@link CommitModes}) with in-process participants on the in-memory
 * log: the statuses each path leaves, and what every participant was told. The same processors over
 * HTTP on real databases: cohort-testing's {@code CommitProtocolsIT}.
 */
class CommitModesTest {
  private MutableClock clock;
  private ManualScheduler scheduler;
  private Coordinator coordinator;
  private final List<String> calls = new ArrayList<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private final Map<String, String> refusals = new HashMap<>();

  @BeforeEach
  void setUp() {
    clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    scheduler = new ManualScheduler(clock);
    coordinator =
        Coordinator.builder(new InMemoryStore())
            .options(
                CoordinatorOptions.newBuilder()
                    .nodeId("node-1")
                    .initialBackoff(Duration.ofSeconds(1))
                    .jitter(0.0)
                    .pollInterval(Duration.ofHours(1))
                    .build())
            .clock(clock)
            .scheduler(scheduler)
            .executor(Runnable::run)
            .deliveryExecutor(Runnable::run)
            .mode(CommitModes.twoPhase())
            .mode(CommitModes.threePhase())
            .build();
    for (String name : List.of("a", "b")) {
      coordinator.registerParticipant(
          CommitModes.XA,
          name,
          XaParticipant.of(
              c -> call(name + ".prepare"),
              c -> call(name + ".commit"),
              c -> call(name + ".rollback")));
      coordinator.registerParticipant(
          CommitModes.THREE_PC,
          name,
          new ThreePcParticipant() {
            @Override
            public void canCommit(BranchContext c) {
              call(name + ".can-commit");
            }

            @Override
            public void preCommit(BranchContext c) {
              call(name + ".pre-commit");
            }

            @Override
            public void doCommit(BranchContext c) {
              call(name + ".do-commit");
            }

            @Override
            public void abort(BranchContext c) {
              call(name + ".abort");
            }
          });
    }
    coordinator.start();
  }

  @AfterEach
  void tearDown() {
    coordinator.close();
  }

  private void call(String what) {
    calls.add(what);
    if (refusals.containsKey(what)) {
      throw new ParticipantRefusedException(refusals.get(what));
    }
    Integer left = failures.get(what);
    if (left != null && left > 0) {
      failures.put(what, left - 1);
      throw new IllegalStateException(what + " is down");
    }
  }

  private Outcome run(Mode mode, Gid gid) {
    return coordinator.run(
        mode,
        Duration.ofSeconds(30),
        gid,
        List.of(
            new BranchSpec(BranchId.of("b1"), "a", "{}", false),
            new BranchSpec(BranchId.of("b2"), "b", "{}", false)));
  }

  private Map<String, BranchStatus> branches(Gid gid) {
    Map<String, BranchStatus> out = new HashMap<>();
    for (BranchRecord b : coordinator.find(gid).branches()) {
      out.put(b.branchId().value(), b.status());
    }
    return out;
  }

  @Test
  void twoPhasePreparesEveryBranchThenCommits() {
    Gid gid = Gid.of("xa-1");
    assertThat(run(Mode.XA, gid).status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(calls).containsExactly("a.prepare", "b.prepare", "a.commit", "b.commit");
    assertThat(branches(gid))
        .containsValues(BranchStatus.CONFIRMED)
        .doesNotContainValue(BranchStatus.SUCCEEDED);
  }

  @Test
  void aNoVoteRollsBackEveryBranchIncludingTheOneNotAsked() {
    refusals.put("a.prepare", "no");
    Gid gid = Gid.of("xa-2");
    Outcome o = run(Mode.XA, gid);
    assertThat(o.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(o.reason()).contains("voted no on prepare");
    assertThat(calls).containsExactly("a.prepare", "a.rollback", "b.rollback");
    assertThat(branches(gid).values()).containsOnly(BranchStatus.CANCELLED);
  }

  @Test
  void aFailedCommitIsRetriedWithBackoff() {
    failures.put("b.commit", 1);
    Gid gid = Gid.of("xa-3");
    assertThat(run(Mode.XA, gid).status()).isEqualTo(GlobalStatus.COMMITTING);
    scheduler.advanceInSteps(Duration.ofSeconds(1));
    assertThat(coordinator.find(gid).status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(calls).endsWith("b.commit", "b.commit");
  }

  @Test
  void threePhaseVotesThenPreCommitsThenCommits() {
    Gid gid = Gid.of("3pc-1");
    assertThat(run(Mode.THREE_PC, gid).status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(calls)
        .containsExactly(
            "a.can-commit",
            "b.can-commit",
            "a.pre-commit",
            "b.pre-commit",
            "a.do-commit",
            "b.do-commit");
  }

  @Test
  void aMissingPreCommitAcknowledgementAbortsEveryBranch() {
    failures.put("b.pre-commit", 1);
    Gid gid = Gid.of("3pc-2");
    Outcome o = run(Mode.THREE_PC, gid);
    assertThat(o.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(o.reason()).contains("pre-commit was not acknowledged");
    assertThat(calls).endsWith("a.abort", "b.abort");
  }

  @Test
  void anOpenTransactionAbortedBeforeItsCommitCallsNobody() {
    Gid gid = Gid.of("xa-open");
    coordinator.open(Mode.XA, Duration.ofSeconds(30), gid);
    coordinator.register(gid, new BranchSpec(BranchId.of("b1"), "a", "{}", false));
    assertThat(coordinator.abort(gid).status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(calls).isEmpty();
    assertThat(branches(gid).values()).containsOnly(BranchStatus.SKIPPED);
  }
}
