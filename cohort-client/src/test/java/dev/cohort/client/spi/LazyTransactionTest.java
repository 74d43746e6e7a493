package dev.cohort.client.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.api.UnknownTransactionException;
import dev.cohort.client.Branch;
import dev.cohort.client.CohortTransportException;
import dev.cohort.client.Transaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a lazily begun transaction sends when answers get lost. The transports themselves are
 * covered by CohortContract (embedded and over the real server); here a lane that records calls and
 * loses the answers a test asks it to, which a real network cannot be made to do on demand.
 */
class LazyTransactionTest {
  /**
   * Records every call. A call named in {@link #lose} takes effect and then fails once (its answer
   * is lost); one named in {@link #drop} fails once without taking effect (it never arrived).
   */
  private static final class RecordingLane implements LazyTransaction.Lane {
    final List<String> calls = new ArrayList<>();
    final List<String> lose = new ArrayList<>();
    final List<String> drop = new ArrayList<>();
    boolean exists;

    private void arrive(String call) {
      if (drop.remove(call)) {
        calls.add(call + " (dropped)");
        throw new CohortTransportException(call + ": no connection (test)", -1, null);
      }
    }

    private Outcome answer(String call, Gid gid, GlobalStatus status) {
      calls.add(call);
      if (lose.remove(call)) {
        throw new CohortTransportException(call + ": no answer (test)", -1, null);
      }
      return new Outcome(gid, status, null);
    }

    @Override
    public Outcome openWith(Gid gid, Mode mode, Duration timeout, Branch first) {
      exists = true;
      return answer("openWith " + first.id(), gid, GlobalStatus.OPEN);
    }

    @Override
    public Outcome register(Gid gid, Branch branch) {
      return answer("register " + branch.id(), gid, GlobalStatus.OPEN);
    }

    @Override
    public Outcome submit(Gid gid, Duration timeout, List<Branch> steps) {
      arrive("submit " + steps.size());
      exists = true;
      return answer("submit " + steps.size(), gid, GlobalStatus.COMMITTED);
    }

    @Override
    public Outcome commitEmpty(Gid gid, Mode mode) {
      exists = true;
      return answer("commitEmpty", gid, GlobalStatus.COMMITTED);
    }

    @Override
    public Outcome commit(Gid gid) {
      if (!exists) {
        calls.add("commit (unknown)");
        throw new UnknownTransactionException(gid);
      }
      return answer("commit", gid, GlobalStatus.COMMITTED);
    }

    @Override
    public Outcome abort(Gid gid) {
      if (!exists) {
        calls.add("abort (unknown)");
        throw new UnknownTransactionException(gid);
      }
      return answer("abort", gid, GlobalStatus.ROLLED_BACK);
    }

    @Override
    public void check(Branch branch) {}
  }

  private static Branch step(String id) {
    return Branch.inProcess(id, "ship", "{}");
  }

  @Test
  void aSagaWhoseSubmitLostItsAnswerAsksBeforeSendingAgainAndTakesNoMoreSteps() {
    RecordingLane lane = new RecordingLane();
    lane.lose.add("submit 2");
    Transaction tx = new LazyTransaction(lane, Mode.SAGA, null, "test");
    tx.register(step("a")).register(step("b"));

    assertThatThrownBy(tx::commit).isInstanceOf(CohortTransportException.class);
    assertThatThrownBy(() -> tx.register(step("c")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was sent but not answered");
    assertThat(tx.commit().status()).isEqualTo(GlobalStatus.COMMITTED);

    assertThat(lane.calls).containsExactly("submit 2", "commit");
  }

  @Test
  void aSagaWhoseSubmitNeverArrivedIsSentAgain() {
    RecordingLane lane = new RecordingLane();
    lane.drop.add("submit 1");
    Transaction tx = new LazyTransaction(lane, Mode.SAGA, null, "test");
    tx.register(step("a"));

    assertThatThrownBy(tx::commit).isInstanceOf(CohortTransportException.class);
    assertThat(tx.commit().status()).isEqualTo(GlobalStatus.COMMITTED);

    assertThat(lane.calls).containsExactly("submit 1 (dropped)", "commit (unknown)", "submit 1");
  }

  @Test
  void aTccRegisterWhoseAnswerWasLostCreatesOrJoinsAgainWithTheNextBranch() {
    RecordingLane lane = new RecordingLane();
    lane.lose.add("openWith a");
    Transaction tx = new LazyTransaction(lane, Mode.TCC, Duration.ofSeconds(5), "test");

    assertThatThrownBy(() -> tx.register(step("a"))).isInstanceOf(CohortTransportException.class);
    tx.register(step("b"));
    tx.register(step("c"));
    assertThat(tx.commit().status()).isEqualTo(GlobalStatus.COMMITTED);

    assertThat(lane.calls).containsExactly("openWith a", "openWith b", "register c", "commit");
  }

  @Test
  void anAbortAfterALostCreateAsksTheCoordinatorAndOtherwiseStaysLocal() {
    RecordingLane lost = new RecordingLane();
    lost.lose.add("openWith a");
    Transaction sent = new LazyTransaction(lost, Mode.TCC, null, "test");
    assertThatThrownBy(() -> sent.register(step("a"))).isInstanceOf(CohortTransportException.class);
    assertThat(sent.abort().status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(lost.calls).containsExactly("openWith a", "abort");

    RecordingLane quiet = new RecordingLane();
    Transaction kept = new LazyTransaction(quiet, Mode.SAGA, null, "test");
    kept.register(step("a"));
    assertThat(kept.abort().reason()).contains("before anything reached the coordinator");
    assertThat(quiet.calls).isEmpty();
  }
}
